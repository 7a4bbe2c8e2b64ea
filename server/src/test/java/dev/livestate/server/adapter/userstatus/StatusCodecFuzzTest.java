package dev.livestate.server.adapter.userstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.engine.RoomEvent;
import dev.livestate.server.fuzz.WireAssertions;
import dev.livestate.stream.StreamMessage;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Any {@code newlog} body (HTTP or WebSocket) and any {@code after_time}: {@link StatusCodec}
 * takes it or refuses it with a {@link StatusError} (a 4xx naming the field), never anything
 * else; and a message it takes is pushed to the site's subscribers and listed by
 * {@code recent-logs} as valid JSON with its text, level and timestamp. Inputs:
 * {@code StatusCodecFuzzTestInputs/}.
 */
class StatusCodecFuzzTest {
  private static final ObjectMapper JSON = WireAssertions.serverJson();
  private static final long NOW = 1_700_000_000_123L;

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void everyNewlogIsTakenOrRefusedAndPushedAndListedAsPosted(byte[] input) {
    String text = WireAssertions.text(input);
    afterTime(text);
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException notJson) {
      return; // answered 400 "the body is not JSON" by the surface
    }
    StatusMessage m;
    try {
      m = StatusCodec.newLog(StatusCodec.wellFormed(root), NOW);
    } catch (StatusError refused) {
      assertRefusal(refused);
      return;
    }
    WireAssertions.assertNoLoneSurrogate(text, m);
    StreamMessage stored = new StreamMessage(1, m.timeMillis(), Long.MAX_VALUE, StatusCodec.body(m));
    JsonNode pushed = WireAssertions.parse(StatusCodec.PUSH.apply(new RoomEvent.Published(
        StatusCodec.ROOM_PREFIX + m.site(), stored)));
    assertEquals(m.site(), pushed.path("site").textValue());
    assertEquals(m.message(), pushed.path("message").textValue());
    assertEquals(m.level(), pushed.path("log_level").textValue());
    assertEquals(Long.toString(m.timestamp()), pushed.path("timestamp").textValue());
    JsonNode recent = WireAssertions.parse(StatusCodec.recent(m.site(), List.of(stored),
        BigDecimal.valueOf(m.timestamp() - 1)));
    assertEquals(1, recent.size());
    assertEquals(m.message(), recent.get(0).path("message").textValue());
    assertEquals(m.timestamp(), recent.get(0).path("timestamp").longValue());
  }

  /** The same text as the {@code after_time} query parameter. */
  private static void afterTime(String text) {
    try {
      StatusCodec.fromMillis(StatusCodec.afterTime(text));
    } catch (StatusError refused) {
      assertRefusal(refused);
    }
  }

  private static void assertRefusal(StatusError refused) {
    assertEquals(400, refused.status());
    JsonNode error = WireAssertions.parse(StatusCodec.error(refused));
    assertEquals(refused.getMessage(), error.path("error").textValue());
  }
}
