package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.server.auth.TestTokens;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sealed room takes no more changes, and native clients are told so. The real way to seal a
 * room is to publish a meet (the meet surface, docs/compat/openlifter.md); its room is
 * {@code meet:<meetId>}, which the native door reaches only with an operator's token.
 */
class NativeSealedRoomTest {
  @RegisterExtension
  static final TestServer server =
      TestServer.perClass(TestTokens.tokenMode("meet.scrypt-log2n", "10"));

  /** Creates a meet over the meet WebSocket; returns {meetId, sessionToken}. */
  static JsonNode createMeet(WebSocketClient meet) {
    meet.send(Map.of("msgType", "CREATE_MEET", "thisLocationName", "platform",
        "password", "correct horse battery",
        "endpoints", List.of(Map.of("locationName", "platform", "priority", 1))));
    return meet.await(m -> m.path("msgType").asText().equals("MEET_CREATED"));
  }

  static void publish(WebSocketClient meet, String token) {
    meet.send(Map.of("msgType", "PUBLISH_MEET", "sessionToken", token,
        "returnEmail", "director@example.com", "oplCsv", "Name,Total\nAnn,500\n"));
    meet.await(m -> m.path("msgType").asText().equals("PUBLISH_ACK"));
  }

  @Test
  void joiningAPublishedMeetSaysSealedAndASubmitIsRejectedAsSealed() throws Exception {
    try (WebSocketClient meet = WebSocketClient.connect(server.ws("/meet"));
        NativeClient late = NativeClient.connectWithToken(server.ws("/ws"),
            TestTokens.admin("late"))) {
      JsonNode created = createMeet(meet);
      String room = "meet:" + created.get("meetId").asText();
      publish(meet, created.get("sessionToken").asText());

      JsonNode joined = late.join(room, Map.of());
      assertEquals("joined", joined.get("type").asText(), joined.toString());
      assertTrue(joined.get("sealed").asBoolean(), "a published meet's room is sealed: " + joined);

      JsonNode result = late.set(room, "lifters[0].name", "Bob");
      assertEquals(0, result.get("acks").size(), result.toString());
      JsonNode reject = result.get("rejects").get(0);
      assertEquals("sealed", reject.get("code").asText());
      assertEquals(late.localSeq, reject.get("localSeq").asLong());
      assertEquals(joined.get("seq").asLong(),
          Http.getJson(server.http("/api/rooms/" + room), TestTokens.bearer(TestTokens.admin("ops")))
              .get("seq").asLong(),
          "nothing was written");
    }
  }

  @Test
  void aSubscriberHearsTheRoomBeingSealedWhileItIsIn() throws Exception {
    try (WebSocketClient meet = WebSocketClient.connect(server.ws("/meet"));
        NativeClient watcher = NativeClient.connectWithToken(server.ws("/ws"),
            TestTokens.admin("watcher"))) {
      JsonNode created = createMeet(meet);
      String room = "meet:" + created.get("meetId").asText();
      JsonNode joined = watcher.join(room, Map.of());
      assertFalse(joined.get("sealed").asBoolean(), "not published yet: " + joined);

      publish(meet, created.get("sessionToken").asText());
      JsonNode sealed = watcher.ws.awaitType("sealed");
      assertEquals(room, sealed.get("room").asText());
      assertFalse(sealed.has("id"), "an event carries no id");
    }
  }
}
