package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Presence records: set, seen by others and by later joiners, gone on leave, disconnect, timeout. */
class NativePresenceTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static NativeClient client(String id) throws Exception {
    return NativeClient.connect(server.ws("/ws"), id);
  }

  static JsonNode setPresence(NativeClient c, String room, Object data) {
    return c.request(Map.of("type", "presence", "room", room, "data", data));
  }

  /** The next presence event about {@code who}. */
  static JsonNode eventAbout(NativeClient c, String room, String who) {
    JsonNode e = c.ws.await(n -> n.path("type").asText().equals("presence") && !n.has("id")
        && n.path("clientId").asText().equals(who));
    assertEquals(room, e.get("room").asText());
    return e;
  }

  @Test
  void aPresenceRecordIsRepliedToHeardByOthersAndGivenToLaterJoiners() throws Exception {
    String room = "presence-basic";
    try (NativeClient alice = client("alice"); NativeClient bob = client("bob")) {
      alice.join(room, Map.of("create", true));
      bob.join(room, Map.of("role", "reader"));
      JsonNode reply = setPresence(alice, room, Map.of("name", "Alice", "cursor", List.of(3, 4)));
      assertEquals("presence", reply.get("type").asText());
      assertEquals(room, reply.get("room").asText());
      assertFalse(reply.has("data"), "the reply only confirms: " + reply);

      JsonNode seen = eventAbout(bob, room, "alice");
      assertEquals("Alice", seen.at("/data/name").asText());
      assertEquals(4, seen.at("/data/cursor/1").asInt());

      try (NativeClient carol = client("carol")) {
        JsonNode joined = carol.join(room, Map.of("role", "reader"));
        assertEquals("Alice", joined.at("/presence/alice/name").asText(), joined.toString());
      }
    }
  }

  @Test
  void leavingTheRoomClearsThePresenceRecord() throws Exception {
    String room = "presence-leave";
    try (NativeClient alice = client("alice"); NativeClient bob = client("bob")) {
      alice.join(room, Map.of("create", true));
      bob.join(room, Map.of());
      setPresence(alice, room, Map.of("name", "Alice"));
      eventAbout(bob, room, "alice");
      alice.request(Map.of("type", "leave", "room", room));
      assertTrue(eventAbout(bob, room, "alice").get("data").isNull());
      try (NativeClient carol = client("carol")) {
        assertEquals(0, carol.join(room, Map.of()).get("presence").size());
      }
    }
  }

  @Test
  void disconnectingClearsThePresenceRecord() throws Exception {
    String room = "presence-disconnect";
    try (NativeClient bob = client("bob")) {
      NativeClient alice = client("alice");
      alice.join(room, Map.of("create", true));
      bob.join(room, Map.of());
      setPresence(alice, room, Map.of("name", "Alice"));
      eventAbout(bob, room, "alice");
      alice.close();
      assertTrue(eventAbout(bob, room, "alice").get("data").isNull());
    }
  }

  @Test
  void aRecordLeftSilentPastTheRoomsPresenceTimeoutExpires() throws Exception {
    try (NativeClient alice = client("alice"); NativeClient bob = client("bob")) {
      alice.join("presence-short", Map.of("create", Map.of("presenceTimeoutSeconds", 1)));
      alice.join("presence-long", Map.of("create", Map.of("presenceTimeoutSeconds", 60)));
      bob.join("presence-short", Map.of());
      bob.join("presence-long", Map.of());
      setPresence(alice, "presence-short", "here");
      setPresence(alice, "presence-long", "here");
      eventAbout(bob, "presence-short", "alice");
      eventAbout(bob, "presence-long", "alice");

      // alice stays connected but silent: the short room forgets her within a tick or two
      JsonNode gone = bob.ws.await(n -> n.path("type").asText().equals("presence")
          && n.path("room").asText().equals("presence-short"), 5_000);
      assertEquals("alice", gone.get("clientId").asText());
      assertTrue(gone.get("data").isNull(), gone.toString());
      assertTrue(alice.ws.isOpen());
      try (NativeClient carol = client("carol")) {
        assertEquals("here", carol.join("presence-long", Map.of()).at("/presence/alice").asText(),
            "the room with a long timeout keeps her");
        assertEquals(0, carol.join("presence-short", Map.of()).get("presence").size());
      }
    }
  }
}
