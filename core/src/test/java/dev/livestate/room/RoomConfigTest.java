package dev.livestate.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.livestate.conflict.ConflictPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RoomConfigTest {

  @Test
  void withersChangeOnlyTheirOwnField() {
    RoomConfig c = RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY).withDurable(false);

    assertEquals(ConflictPolicy.PRIORITY, c.policy());
    assertEquals(false, c.durable());
    assertEquals(RoomConfig.DEFAULT.retainOps(), c.retainOps());
    assertEquals(RoomConfig.DEFAULT.presenceTimeout(), c.presenceTimeout());
  }

  @Test
  void invalidValuesAreRefusedAtConstruction() {
    assertThrows(IllegalArgumentException.class,
        () -> RoomConfig.DEFAULT.withRetention(-1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> RoomConfig.DEFAULT.withRetention(1, Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class,
        () -> RoomConfig.DEFAULT.withStream(Duration.ofDays(1), 0));
    assertThrows(NullPointerException.class, () -> RoomConfig.DEFAULT.withPolicy(null));
  }
}
