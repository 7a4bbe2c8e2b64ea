package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client id is an identity: a second connection that names another client's id can neither
 * write as it, end its leadership, nor take its place in the resend ledger so that the victim's
 * change is acked and never applied. Open mode here; token mode in {@link NativeTokenTest}.
 */
class NativeImpersonationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The reply's error code, or the whole reply when it is not an error. */
  static String answer(WebSocketClient ws, Map<String, Object> request) {
    ws.send(request);
    String id = String.valueOf(request.get("id"));
    JsonNode a = ws.await(n -> n.path("id").asText().equals(id));
    return a.path("type").asText().equals("error") ? a.get("code").asText() : a.toString();
  }

  static Map<String, Object> submit(int id, String room, int localSeq, Object value) {
    return Map.of("type", "submit", "id", id, "room", room, "changes",
        List.of(Map.of("localSeq", localSeq, "baseSeq", 0, "set", Map.of("k", value))));
  }

  /**
   * The victim leads a leader-only room that refuses takeovers; the attacker, whatever id it
   * managed to get, writes first with the victim's next localSeq, then tries to unlead it; the
   * victim's change must then be acked and applied.
   */
  static void victimKeepsItsRoomItsLeadershipAndItsChange(TestServer server, NativeClient victim,
      WebSocketClient attacker, String room, String... readHeaders) throws Exception {
    JsonNode joined = victim.join(room, Map.of("role", "leader",
        "create", Map.of("writeAccess", "leader-only", "takeover", "refuse")));
    assertEquals("joined", joined.get("type").asText(), joined.toString());

    assertEquals("joined", JSON.readTree(answer(attacker, Map.of("type", "join", "id", 2, "room", room)))
        .get("type").asText());
    JsonNode refused = JSON.readTree(answer(attacker, submit(3, room, 1, "attacker's")));
    assertEquals("not_leader", refused.at("/rejects/0/code").asText(), refused.toString());
    String unlead = answer(attacker, Map.of("type", "unlead", "id", 4, "room", room));
    assertTrue(unlead.contains("\"released\":false"), unlead);
    String lead = answer(attacker, Map.of("type", "lead", "id", 5, "room", room));
    assertTrue(lead.contains("\"granted\":false"), "the room refuses takeovers: " + lead);

    JsonNode mine = victim.set(room, "k", "victim's");
    assertEquals(1, mine.get("acks").size(), mine.toString());
    JsonNode snapshot = Http.getJson(server.http("/api/rooms/" + room), readHeaders);
    assertEquals("victim's", snapshot.at("/state/k").asText(), snapshot.toString());
    assertEquals(victim.clientId, server.server().engine().room(room).leader());
  }

  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void aSecondConnectionCannotTakeALiveClientsIdWithoutItsResumeSecret() throws Exception {
    try (NativeClient victim = NativeClient.connect(server.ws("/ws"), "victim");
        WebSocketClient attacker = server.socket("/ws")) {
      assertEquals("unauthorized", answer(attacker,
          Map.of("type", "hello", "id", "h1", "clientId", "victim")));
      assertEquals("unauthorized", answer(attacker, Map.of("type", "hello", "id", "h2",
          "clientId", "victim", "resume", "a guess of sixteen chars or more")));
      assertEquals("bad_request", answer(attacker,
          Map.of("type", "hello", "id", "h3", "clientId", "c-0123")),
          "ids the server gives out cannot be claimed");
      victimKeepsItsRoomItsLeadershipAndItsChange(server, victim, attacker, "imp-open");
    }
  }

  @Test
  void theClientItselfComesBackUnderItsIdWithItsSecret() throws Exception {
    try (WebSocketClient first = server.socket("/ws")) {
      first.send(Map.of("type", "hello", "id", 1, "clientId", "returning"));
      JsonNode welcome = first.await(n -> n.path("id").asInt() == 1);
      String resume = welcome.get("resume").asText();
      assertTrue(resume.length() >= 16, welcome.toString());
      try (WebSocketClient again = server.socket("/ws")) {
        again.send(Map.of("type", "hello", "id", 1, "clientId", "returning", "resume", resume));
        JsonNode back = again.await(n -> n.path("id").asInt() == 1);
        assertEquals("welcome", back.get("type").asText(), back.toString());
        assertFalse(back.has("resume"), "the secret is given once");
      }
    }
  }
}
