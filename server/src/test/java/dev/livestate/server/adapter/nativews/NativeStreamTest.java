package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A room's stream over the native protocol: publish, the message event, history by time, TTL. */
class NativeStreamTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static JsonNode publish(NativeClient c, String room, Object body, long time) {
    return c.request(Map.of("type", "publish", "room", room, "body", body, "time", time));
  }

  static List<Long> historyTimes(NativeClient c, String room, long from, long to) {
    JsonNode h = c.request(Map.of("type", "history", "room", room, "from", from, "to", to));
    assertEquals("history", h.get("type").asText(), h.toString());
    assertEquals(room, h.get("room").asText());
    List<Long> times = new ArrayList<>();
    h.get("messages").forEach(m -> times.add(m.get("time").asLong()));
    return times;
  }

  @Test
  void aPublishedMessageIsConfirmedAndSentToEverySubscriber() throws Exception {
    String room = "stream-publish";
    try (NativeClient scope = NativeClient.connect(server.ws("/ws"), "scope");
        NativeClient screen = NativeClient.connect(server.ws("/ws"), "screen")) {
      scope.join(room, Map.of("create", true));
      screen.join(room, Map.of("role", "reader"));
      JsonNode published = publish(scope, room, Map.of("level", "info", "text", "slewing"),
          1_700_000_000_000L);
      assertEquals("published", published.get("type").asText(), published.toString());
      assertEquals(room, published.get("room").asText());
      assertEquals(1, published.get("messageId").asLong());
      assertEquals(1_700_000_000_000L, published.get("time").asLong());

      JsonNode event = screen.ws.awaitType("message");
      assertEquals(room, event.get("room").asText());
      assertFalse(event.has("id"), "an event carries no id");
      assertEquals(1, event.at("/message/id").asLong());
      assertEquals(1_700_000_000_000L, event.at("/message/time").asLong());
      assertEquals("slewing", event.at("/message/body/text").asText());
      assertEquals("info", event.at("/message/body/level").asText());

      JsonNode second = scope.request(Map.of("type", "publish", "room", room, "body", "now"));
      long before = System.currentTimeMillis();
      assertEquals(2, second.get("messageId").asLong());
      assertTrue(Math.abs(second.get("time").asLong() - before) < 5_000,
          "without a time the server's clock dates it: " + second);

      JsonNode refused = screen.request(Map.of("type", "publish", "room", room, "body", "no"));
      assertEquals("forbidden", refused.get("code").asText(), "a reader cannot publish");
    }
  }

  @Test
  void historyReturnsTheMessagesTimedWithinTheRangeOldestFirst() throws Exception {
    String room = "stream-history";
    try (NativeClient c = NativeClient.connect(server.ws("/ws"), "logger")) {
      c.join(room, Map.of("create", true));
      // published out of time order: history sorts by the message's time
      for (long t : new long[] {3_000, 1_000, 2_000, 4_000}) {
        publish(c, room, "at " + t, t);
      }
      assertEquals(List.of(2_000L, 3_000L), historyTimes(c, room, 1_500, 3_000));
      assertEquals(List.of(1_000L, 2_000L, 3_000L, 4_000L), historyTimes(c, room, 1_000, 4_000),
          "both ends are inclusive");
      assertEquals(List.of(2_000L), historyTimes(c, room, 2_000, 2_000));
      assertEquals(List.of(), historyTimes(c, room, 4_001, 9_000));
      JsonNode all = c.request(Map.of("type", "history", "room", room));
      assertEquals(4, all.get("messages").size(), "without a range: everything");
      assertEquals("at 1000", all.at("/messages/0/body").asText());
      assertEquals(2, all.at("/messages/1/time").asLong() / 1_000);
    }
  }

  @Test
  void messagesExpireAfterTheRoomsStreamTtl() throws Exception {
    try (NativeClient c = NativeClient.connect(server.ws("/ws"), "ttl")) {
      c.join("stream-short", Map.of("create", Map.of("streamTtlSeconds", 1)));
      c.join("stream-long", Map.of("create", true));
      long now = System.currentTimeMillis();
      publish(c, "stream-short", "brief", now);
      publish(c, "stream-long", "lasting", now);
      assertEquals(List.of(now), historyTimes(c, "stream-short", 0, Long.MAX_VALUE));

      long deadline = System.currentTimeMillis() + 5_000;
      while (!historyTimes(c, "stream-short", 0, Long.MAX_VALUE).isEmpty()) {
        assertTrue(System.currentTimeMillis() < deadline, "the 1 s message did not expire");
        Thread.sleep(50);
      }
      assertEquals(List.of(now), historyTimes(c, "stream-long", 0, Long.MAX_VALUE),
          "the default TTL (7 days) keeps it");
    }
  }
}
