package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Joining and leaving rooms: the catch-up a join gets, and the errors joins can meet. */
class NativeJoinTest {
  static final int MAX_ROOMS = 3;
  @RegisterExtension
  static final TestServer server = TestServer.perClass(
      Map.of("limits.max-rooms-per-connection", Integer.toString(MAX_ROOMS)));

  static NativeClient client(String id) throws Exception {
    return NativeClient.connect(server.ws("/ws"), id);
  }

  static JsonNode joinSince(NativeClient c, String room, String epoch, long seq) {
    return c.request(Map.of("type", "join", "room", room, "since", Map.of("epoch", epoch, "seq", seq)));
  }

  @Test
  void aPositionThisRoomNeverIssuedAsksForAResubmit() throws Exception {
    String room = "join-resubmit";
    try (NativeClient w = client("w")) {
      JsonNode created = w.join(room, Map.of("create", true));
      w.set(room, "a", 1);
      w.set(room, "b", 2);
      String epoch = created.get("epoch").asText();
      try (NativeClient fromElsewhere = client("x"); NativeClient fromTheFuture = client("y");
          NativeClient honest = client("z")) {
        JsonNode otherEpoch = joinSince(fromElsewhere, room, "0123456789abcdef", 1);
        JsonNode pastHead = joinSince(fromTheFuture, room, epoch, 3);
        for (JsonNode joined : new JsonNode[] {otherEpoch, pastHead}) {
          assertEquals("joined", joined.get("type").asText(), joined.toString());
          assertTrue(joined.get("resubmit").asBoolean(), joined.toString());
          assertFalse(joined.has("snapshot") || joined.has("ops"), "exactly one of the three");
          assertEquals(epoch, joined.get("epoch").asText(), "the room's real position");
          assertEquals(2, joined.get("seq").asLong());
        }
        JsonNode atHead = joinSince(honest, room, epoch, 2);
        assertFalse(atHead.has("resubmit"), "the head itself was issued: " + atHead);
        assertEquals(0, atHead.get("ops").size());
      }
    }
  }

  @Test
  void leavingARoomIsConfirmedAndStopsItsEvents() throws Exception {
    String room = "join-leave";
    try (NativeClient w = client("w"); NativeClient r = client("r")) {
      w.join(room, Map.of("create", true));
      r.join(room, Map.of("role", "reader"));
      r.join("join-leave-marker", Map.of("create", true));
      JsonNode left = r.request(Map.of("type", "leave", "room", room));
      assertEquals("left", left.get("type").asText());
      assertEquals(room, left.get("room").asText());

      w.set(room, "after", "leave");
      // an op in another room, relayed after the first: nothing of the left room came before it
      w.join("join-leave-marker", Map.of());
      w.set("join-leave-marker", "marker", true);
      JsonNode next = r.ws.awaitType("ops");
      assertEquals("join-leave-marker", next.get("room").asText(), "got " + next);

      JsonNode notJoined = r.request(Map.of("type", "presence", "room", room, "data", 1));
      assertEquals("not_joined", notJoined.get("code").asText());
      JsonNode again = r.join(room, Map.of("role", "reader"));
      assertEquals("joined", again.get("type").asText(), "a left room can be joined again");
      assertEquals("leave", again.at("/snapshot/after").asText());
    }
  }

  @Test
  void joiningTwiceIsAlreadyJoined() throws Exception {
    try (NativeClient c = client("twice")) {
      c.join("join-twice", Map.of("create", true));
      JsonNode error = c.join("join-twice", Map.of());
      assertEquals("error", error.get("type").asText());
      assertEquals("already_joined", error.get("code").asText());
      assertEquals(1, c.set("join-twice", "still", "in").get("acks").size());
    }
  }

  @Test
  void joiningMoreRoomsThanTheLimitIsTooManyRooms() throws Exception {
    try (NativeClient c = client("greedy")) {
      for (int i = 0; i < MAX_ROOMS; i++) {
        assertEquals("joined", c.join("join-many-" + i, Map.of("create", true)).get("type").asText());
      }
      JsonNode error = c.join("join-many-" + MAX_ROOMS, Map.of("create", true));
      assertEquals("too_many_rooms", error.get("code").asText(), error.toString());
      assertEquals(404, server.get("/api/rooms/join-many-" + MAX_ROOMS).statusCode(),
          "the refused join created nothing");
      c.request(Map.of("type", "leave", "room", "join-many-0"));
      assertEquals("joined", c.join("join-many-" + MAX_ROOMS, Map.of("create", true))
          .get("type").asText(), "leaving makes room for another");
    }
  }

  @Test
  void joiningAMissingRoomWithoutCreateIsUnknownRoom() throws Exception {
    try (NativeClient c = client("lost")) {
      JsonNode error = c.join("join-nowhere", Map.of());
      assertEquals("unknown_room", error.get("code").asText());
      assertEquals("joined", c.join("join-nowhere", Map.of("create", true)).get("type").asText(),
          "the refused join did not count as joined");
    }
  }
}
