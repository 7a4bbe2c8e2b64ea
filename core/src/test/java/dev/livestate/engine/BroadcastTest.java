package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.livestate.testkit.Fast;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A broadcast is encoded once per protocol and the result shared by every subscriber. */
@Fast
class BroadcastTest {
  private final RoomEvent event = new RoomEvent.Sealed("r");

  @Test
  void eachEncoderRunsOnceAndItsResultIsShared() {
    Broadcast b = new Broadcast(event);
    List<RoomEvent> encoded = new ArrayList<>();
    Function<RoomEvent, String> encoder = e -> {
      encoded.add(e);
      return "sealed:" + e.room();
    };

    String first = b.encoded(encoder);
    String second = b.encoded(encoder);

    assertEquals("sealed:r", first);
    assertSame(first, second);
    assertEquals(List.of(event), encoded);
    assertSame(event, b.event());
  }

  @Test
  void manyProtocolsEachGetTheirOwnEncodingOnce() {
    Broadcast b = new Broadcast(event);
    List<Function<RoomEvent, String>> encoders = new ArrayList<>();
    int[] runs = new int[5];
    for (int i = 0; i < 5; i++) {
      int n = i;
      encoders.add(e -> {
        runs[n]++;
        return n + ":" + e.room();
      });
    }

    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 5; i++) {
        assertEquals(i + ":r", b.encoded(encoders.get(i)));
      }
    }

    assertEquals(List.of(1, 1, 1, 1, 1), java.util.Arrays.stream(runs).boxed().toList());
  }

  @Test
  void encodersAreToldApartByIdentityNotEquality() {
    Broadcast b = new Broadcast(event);
    Function<RoomEvent, String> one = e -> "one";
    Function<RoomEvent, String> two = e -> "two";

    assertEquals("one", b.encoded(one));
    assertEquals("two", b.encoded(two));
    assertEquals("one", b.encoded(one));
  }
}
