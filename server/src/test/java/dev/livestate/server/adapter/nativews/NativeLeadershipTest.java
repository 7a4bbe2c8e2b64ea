package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.http.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** lead / unlead, the leader event every subscriber hears, and what ends a leadership. */
class NativeLeadershipTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static NativeClient client(String id) throws Exception {
    return NativeClient.connect(server.ws("/ws"), id);
  }

  static JsonNode lead(NativeClient c, String room) {
    return c.request(Map.of("type", "lead", "room", room));
  }

  /** The next leader event, checked to name the room and carry no id. */
  static JsonNode leaderEvent(NativeClient c, String room) {
    JsonNode e = c.ws.awaitType("leader");
    assertEquals(room, e.get("room").asText());
    assertFalse(e.has("id"), e.toString());
    return e;
  }

  static String text(JsonNode n, String field) {
    return n.get(field).isNull() ? null : n.get(field).asText();
  }

  static String leaderOf(String room) throws Exception {
    for (JsonNode r : Http.getJson(server.http("/api/rooms")).get("rooms")) {
      if (r.get("name").asText().equals(room)) {
        return text(r, "leader");
      }
    }
    throw new AssertionError("no room " + room);
  }

  @Test
  void leadingAndUnleadingIsHeardByEverySubscriber() throws Exception {
    String room = "lead-basic";
    try (NativeClient alice = client("alice"); NativeClient bob = client("bob");
        NativeClient carol = client("carol")) {
      alice.join(room, Map.of("create", true));
      bob.join(room, Map.of());
      carol.join(room, Map.of("role", "reader"));

      JsonNode granted = lead(alice, room);
      assertEquals("lead", granted.get("type").asText());
      assertEquals(room, granted.get("room").asText());
      assertTrue(granted.get("granted").asBoolean(), granted.toString());
      assertTrue(granted.get("previous").isNull(), granted.toString());
      for (NativeClient c : new NativeClient[] {alice, bob, carol}) {
        JsonNode e = leaderEvent(c, room);
        assertEquals("alice", text(e, "leader"), c.clientId + " got " + e);
        assertEquals(null, text(e, "previous"));
      }
      assertEquals("alice", leaderOf(room));
      try (NativeClient dave = client("dave")) {
        assertEquals("alice", text(dave.join(room, Map.of()), "leader"), "joined names the leader");
      }

      JsonNode notHis = bob.request(Map.of("type", "unlead", "room", room));
      assertFalse(notHis.get("released").asBoolean(), "bob does not lead: " + notHis);
      JsonNode released = alice.request(Map.of("type", "unlead", "room", room));
      assertEquals("unlead", released.get("type").asText());
      assertTrue(released.get("released").asBoolean(), released.toString());
      for (NativeClient c : new NativeClient[] {alice, bob, carol}) {
        JsonNode e = leaderEvent(c, room);
        assertEquals(null, text(e, "leader"), c.clientId + " got " + e);
        assertEquals("alice", text(e, "previous"));
      }
      assertEquals(null, leaderOf(room));
    }
  }

  @Test
  void aTakeoverNamesThePreviousLeaderWhoCanNoLongerWrite() throws Exception {
    String room = "lead-takeover";
    try (NativeClient alice = client("alice"); NativeClient bob = client("bob")) {
      alice.join(room, Map.of("create", Map.of("takeover", "allow")));
      bob.join(room, Map.of());
      lead(alice, room);
      leaderEvent(alice, room);
      leaderEvent(bob, room);

      JsonNode granted = lead(bob, room);
      assertTrue(granted.get("granted").asBoolean(), granted.toString());
      assertEquals("alice", text(granted, "previous"));
      JsonNode e = leaderEvent(alice, room);
      assertEquals("bob", text(e, "leader"));
      assertEquals("alice", text(e, "previous"));

      JsonNode rejected = alice.set(room, "x", 1);
      assertEquals("not_leader", rejected.get("rejects").get(0).get("code").asText(), rejected.toString());
      assertEquals(1, bob.set(room, "x", 2).get("acks").size());
    }
  }

  @Test
  void aRoomThatRefusesTakeoversAnswersGrantedFalseWithTheHolder() throws Exception {
    String room = "lead-refuse";
    try (NativeClient alice = client("alice"); NativeClient bob = client("bob")) {
      alice.join(room, Map.of("create", Map.of("takeover", "refuse")));
      bob.join(room, Map.of());
      assertTrue(lead(alice, room).get("granted").asBoolean());

      JsonNode refused = lead(bob, room);
      assertEquals("lead", refused.get("type").asText());
      assertFalse(refused.get("granted").asBoolean(), refused.toString());
      assertEquals("alice", text(refused, "leader"));
      assertEquals("alice", leaderOf(room));

      try (NativeClient carol = client("carol")) {
        JsonNode error = carol.join(room, Map.of("role", "leader"));
        assertEquals("error", error.get("type").asText(), error.toString());
        assertEquals("forbidden", error.get("code").asText());
      }
    }
  }

  @Test
  void joiningAsLeaderLeads() throws Exception {
    String room = "lead-on-join";
    try (NativeClient alice = client("alice")) {
      JsonNode joined = alice.join(room, Map.of("role", "leader", "create", true));
      assertEquals("alice", text(joined, "leader"), joined.toString());
      assertEquals("alice", leaderOf(room));
    }
  }

  @Test
  void leavingTheRoomEndsALeadership() throws Exception {
    String room = "lead-leave";
    try (NativeClient alice = client("alice"); NativeClient bob = client("bob")) {
      alice.join(room, Map.of("create", true));
      bob.join(room, Map.of());
      lead(alice, room);
      leaderEvent(bob, room);
      assertEquals("left", alice.request(Map.of("type", "leave", "room", room)).get("type").asText());
      JsonNode e = leaderEvent(bob, room);
      assertEquals(null, text(e, "leader"));
      assertEquals("alice", text(e, "previous"));
      assertEquals(null, leaderOf(room));
    }
  }

  @Test
  void disconnectingEndsALeadership() throws Exception {
    String room = "lead-disconnect";
    try (NativeClient bob = client("bob")) {
      NativeClient alice = client("alice");
      alice.join(room, Map.of("create", true));
      bob.join(room, Map.of());
      lead(alice, room);
      leaderEvent(bob, room);
      alice.close();
      JsonNode e = leaderEvent(bob, room);
      assertEquals(null, text(e, "leader"));
      assertEquals("alice", text(e, "previous"));
      assertTrue(lead(bob, room).get("granted").asBoolean(), "the room is free again");
    }
  }
}
