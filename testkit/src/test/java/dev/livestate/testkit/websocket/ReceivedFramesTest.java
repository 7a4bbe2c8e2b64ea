package dev.livestate.testkit.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The frame log under the WebSocket test client, without a socket: what each wait returns. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReceivedFramesTest {
  private final ReceivedFrames frames = new ReceivedFrames("ws://test", Duration.ofSeconds(5));

  private static boolean isType(JsonNode n, String type) {
    return type.equals(n.path("type").asText());
  }

  @Test
  void eachMatchIsTakenOnceInArrivalOrder() {
    frames.add("{\"type\":\"a\",\"n\":1}", 1);
    frames.add("{\"type\":\"b\",\"n\":2}", 2);
    frames.add("{\"type\":\"a\",\"n\":3}", 3);

    assertEquals(1, frames.await(n -> isType(n, "a"), 100).get("n").asInt());
    assertEquals(3, frames.await(n -> isType(n, "a"), 100).get("n").asInt());
    assertEquals(List.of(2), frames.notTaken().stream().map(n -> n.get("n").asInt()).toList());
    assertEquals(2, frames.poll().get("n").asInt());
    assertNull(frames.poll(), "all taken");
  }

  @Test
  void findingFromAPositionTakesNothing() {
    frames.add("{\"type\":\"a\",\"n\":1}", 1);
    int mark = frames.count();
    frames.add("{\"type\":\"a\",\"n\":2}", 2);

    assertEquals(2, frames.awaitFrom(mark, n -> isType(n, "a")).get("n").asInt());
    assertEquals(1, frames.awaitFrom(0, n -> isType(n, "a")).get("n").asInt(), "again");
    assertEquals(2, frames.notTaken().size());
  }

  @Test
  void textThatIsNotJsonIsPassedOverByTheJsonReadsAndTakenAsText() {
    frames.add("0{\"sid\":\"x\"}", 1);
    frames.add("{\"type\":\"a\"}", 2);

    assertEquals(List.of("0{\"sid\":\"x\"}", "{\"type\":\"a\"}"), frames.texts());
    assertEquals(1, frames.messages().size());
    assertTrue(isType(frames.await(n -> true, 100), "a"));
    assertEquals("0{\"sid\":\"x\"}", frames.nextText(t -> true));
    assertThrows(AssertionError.class, () -> frames.await(n -> true, 50), "taken as JSON too");
  }

  @Test
  void messagesAreTheSameObjectsEveryTimeWithTheirArrivalTimes() {
    frames.add("{\"n\":1}", 42);

    JsonNode first = frames.messages().get(0);
    assertSame(first, frames.awaitFrom(0, n -> true));
    assertEquals(42, frames.arrivedAt(first));
  }

  @Test
  void aWaitWakesWhenTheFrameComes() throws Exception {
    CompletableFuture<JsonNode> waiting =
        CompletableFuture.supplyAsync(() -> frames.await(n -> isType(n, "late"), 5_000));
    frames.add("{\"type\":\"early\"}", 1);
    frames.add("{\"type\":\"late\"}", 2);

    assertTrue(isType(waiting.get(5, TimeUnit.SECONDS), "late"));
    assertEquals(1, frames.notTaken().size());
  }

  @Test
  void aWaitThatFindsNothingFailsNamingWhatCameAndHowTheConnectionEnded() {
    ReceivedFrames quick = new ReceivedFrames("ws://test/x", Duration.ofMillis(50));
    quick.add("{\"type\":\"other\"}", 1);
    quick.ended("closed with 1009");

    AssertionError e = assertThrows(AssertionError.class,
        () -> quick.awaitFrom(0, n -> isType(n, "wanted")));
    assertTrue(e.getMessage().contains("ws://test/x"), e.getMessage());
    assertTrue(e.getMessage().contains("closed with 1009"), e.getMessage());
    assertTrue(e.getMessage().contains("{\"type\":\"other\"}"), e.getMessage());
  }

  @Test
  void aLookOverEveryMessageWaitsUntilItFinds() {
    frames.add("{\"n\":1}", 1);
    frames.add("{\"n\":2}", 2);

    assertEquals(3, (int) frames.awaitMessages(ms -> ms.size() == 2
        ? ms.stream().mapToInt(n -> n.get("n").asInt()).sum() : null));
  }
}
