package dev.livestate.server.adapter.nativews;

import static dev.livestate.server.auth.TestTokens.grant;
import static dev.livestate.server.auth.TestTokens.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.livestate.protocol.CloseReason;
import dev.livestate.room.Role;
import dev.livestate.server.TestServer;
import dev.livestate.server.auth.TestTokens;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Token mode on the native WebSocket: who a client is and what it may do come from its token. */
class NativeTokenTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(TestTokens.tokenMode());

  static JsonNode reply(WebSocketClient ws, Object id) {
    return ws.await(n -> n.path("id").asText().equals(id.toString()));
  }

  static WebSocketClient hello(String token) throws Exception {
    WebSocketClient ws = WebSocketClient.connect(server.ws("/ws"));
    ws.send(Map.of("type", "hello", "id", "hello", "token", token));
    JsonNode welcome = reply(ws, "hello");
    assertEquals("welcome", welcome.path("type").asText(), welcome.toString());
    return ws;
  }

  static String code(WebSocketClient ws, Map<String, Object> request) {
    ws.send(request);
    JsonNode answer = reply(ws, request.get("id"));
    return answer.path("type").asText().equals("error") ? answer.get("code").asText()
        : answer.path("type").asText();
  }

  static Map<String, Object> submit(Object id, String room, int localSeq) {
    return submit(id, room, localSeq, localSeq);
  }

  static Map<String, Object> submit(Object id, String room, int localSeq, Object value) {
    return Map.of("type", "submit", "id", id, "room", room, "changes",
        List.of(Map.of("localSeq", localSeq, "baseSeq", 0, "set", Map.of("k", value))));
  }

  @Test
  void aValidTokenMakesItsSubjectTheClientAndSaysWhenItExpires() throws Exception {
    Instant exp = Instant.now().plusSeconds(600);
    try (WebSocketClient ws = WebSocketClient.connect(server.ws("/ws"))) {
      ws.send(Map.of("type", "hello", "id", 1,
          "token", token("alice", null, exp, grant("todo*", Role.WRITER, 0))));
      JsonNode welcome = reply(ws, 1);
      assertEquals("alice", welcome.get("clientId").asText(), welcome.toString());
      assertEquals(exp.getEpochSecond() * 1000, welcome.get("expires").asLong());
      assertFalse(welcome.has("resume"), "token mode has no resume secrets");
      assertEquals("joined", code(ws, Map.of("type", "join", "id", 2, "room", "todo-1",
          "create", true)));
      assertEquals("result", code(ws, submit(3, "todo-1", 1)));
    }
  }

  @Test
  void everyRequestBeforeAValidHelloIsUnauthorizedAndTheConnectionStays() throws Exception {
    try (WebSocketClient ws = WebSocketClient.connect(server.ws("/ws"))) {
      assertEquals("unauthorized", code(ws, Map.of("type", "ping", "id", 1)));
      assertEquals("unauthorized", code(ws, Map.of("type", "join", "id", 2, "room", "todo",
          "create", true)));
      assertEquals("unauthorized", code(ws, Map.of("type", "hello", "id", 3, "clientId", "eve")));
      assertEquals("unauthorized", code(ws, Map.of("type", "history", "id", 4, "room", "todo")));
      assertEquals("welcome", code(ws, Map.of("type", "hello", "id", 5,
          "token", token("eve", grant("todo", Role.READER, 0)))));
      assertEquals("pong", code(ws, Map.of("type", "ping", "id", 6)));
    }
  }

  @Test
  void expiredNotYetValidForgedUnsignedAndGarbledTokensAreRefused() throws Exception {
    Instant now = Instant.now();
    String expired = token("alice", null, now.minusSeconds(60), grant("*", Role.WRITER, 0));
    String early = token("alice", now.plusSeconds(60), now.plusSeconds(600),
        grant("*", Role.WRITER, 0));
    String forged = TestTokens.signed(JWSAlgorithm.HS256,
        new MACSigner("another secret, also 32 bytes or more"),
        new JWTClaimsSet.Builder().subject("alice").claim("admin", true).build());
    Map<String, String> expected = Map.of(expired, "expired", early, "not valid yet",
        forged, "signature", TestTokens.unsigned("alice"), "alg none", "x.y.z", "not a token");
    try (WebSocketClient ws = WebSocketClient.connect(server.ws("/ws"))) {
      int id = 0;
      for (Map.Entry<String, String> e : expected.entrySet()) {
        ws.send(Map.of("type", "hello", "id", ++id, "token", e.getKey()));
        JsonNode refused = reply(ws, id);
        assertEquals("unauthorized", refused.path("code").asText(), refused.toString());
        assertTrue(refused.get("message").asText().contains(e.getValue()), refused.toString());
      }
      assertEquals("unauthorized", code(ws, Map.of("type", "ping", "id", "after")),
          "no refused token admitted anything");
    }
  }

  @Test
  void theClientIdIsTheTokensSubjectAndCannotBeAnotherClients() throws Exception {
    try (WebSocketClient ws = WebSocketClient.connect(server.ws("/ws"))) {
      assertEquals("unauthorized", code(ws, Map.of("type", "hello", "id", 1, "clientId", "bob",
          "token", token("mallory", grant("*", Role.WRITER, 0)))));
      assertEquals("welcome", code(ws, Map.of("type", "hello", "id", 2, "clientId", "mallory",
          "token", token("mallory", grant("*", Role.WRITER, 0)))));
    }
  }

  @Test
  void grantsDecideRoomsRolesAndPriorities() throws Exception {
    try (WebSocketClient owner = hello(token("owner", grant("g-*", Role.LEADER, 9)));
        WebSocketClient reader = hello(token("reader", grant("g-room", Role.READER, 0),
            grant("g-other", Role.WRITER, 2)))) {
      assertEquals("joined", code(owner, Map.of("type", "join", "id", 1, "room", "g-room",
          "create", Map.of("policy", "priority"))));
      assertEquals("forbidden", code(reader, Map.of("type", "join", "id", 1, "room", "h-room",
          "create", true)), "a room outside the grant, even to create");
      assertEquals("forbidden", code(reader, Map.of("type", "join", "id", 2, "room", "g-room",
          "role", "writer")), "a role above the grant");
      assertEquals("joined", code(reader, Map.of("type", "join", "id", 3, "room", "g-room")));
      reader.send(submit(4, "g-room", 1));
      assertEquals("forbidden", reply(reader, 4).at("/rejects/0/code").asText(),
          "a reader submitting");
      assertEquals("forbidden", code(reader, Map.of("type", "join", "id", 5, "room", "g-other",
          "priority", 3, "create", true)), "a priority above the grant");
      assertEquals("joined", code(reader, Map.of("type", "join", "id", 6, "room", "g-other",
          "priority", 1, "create", true)), "less than the grant is fine");
      assertEquals("forbidden", code(reader, Map.of("type", "lead", "id", 7, "room", "g-other")));
      assertEquals("lead", code(owner, Map.of("type", "lead", "id", 2, "room", "g-room")));
    }
  }

  @Test
  void theServerTakesThePriorityFromTheGrantNotFromTheClient() throws Exception {
    try (WebSocketClient high = hello(token("high", grant("p-room", Role.WRITER, 5)));
        WebSocketClient low = hello(token("low", grant("p-room", Role.WRITER, 1)))) {
      code(high, Map.of("type", "join", "id", 1, "room", "p-room",
          "create", Map.of("policy", "priority")));
      code(low, Map.of("type", "join", "id", 1, "room", "p-room"));
      assertEquals("result", code(high, submit(2, "p-room", 1, "high's")));
      low.send(submit(2, "p-room", 1, "low's"));
      JsonNode result = reply(low, 2);
      assertEquals("conflict", result.at("/rejects/0/code").asText(), result.toString());
    }
  }

  @Test
  void aJoinMayBringATokenForThatRoomButOnlyForTheSameClient() throws Exception {
    try (WebSocketClient ws = hello(token("sam"))) {
      assertEquals("forbidden", code(ws, Map.of("type", "join", "id", 1, "room", "sub-room",
          "create", true)), "the connection's token grants no rooms");
      assertEquals("joined", code(ws, Map.of("type", "join", "id", 2, "room", "sub-room",
          "create", true, "token", token("sam", grant("sub-room", Role.WRITER, 0)))));
      assertEquals("result", code(ws, submit(3, "sub-room", 1)));
      assertEquals("forbidden", code(ws, Map.of("type", "join", "id", 4, "room", "sub-2",
          "create", true, "token", token("someone-else", grant("sub-2", Role.WRITER, 0)))));
    }
  }

  @Test
  void aTokenThatExpiresOnAnOpenConnectionClosesItWith4001() throws Exception {
    try (WebSocketClient ws = hello(token("brief", null, Instant.now().plusSeconds(2)))) {
      assertEquals(CloseReason.TOKEN_EXPIRED.code(), ws.awaitClose(10_000));
    }
  }

  @Test
  void aRefreshBeforeExpiryKeepsTheConnection() throws Exception {
    try (WebSocketClient ws = hello(token("renewed", null, Instant.now().plusSeconds(2)))) {
      Instant later = Instant.now().plusSeconds(3600);
      ws.send(Map.of("type", "refresh", "id", 1, "token", token("renewed", null, later)));
      JsonNode refreshed = reply(ws, 1);
      assertEquals("refreshed", refreshed.get("type").asText(), refreshed.toString());
      assertEquals(later.getEpochSecond() * 1000, refreshed.get("expires").asLong());
      assertEquals("unauthorized", code(ws, Map.of("type", "refresh", "id", 2,
          "token", token("someone-else"))), "a refresh cannot change who the client is");
      assertThrows(TimeoutException.class, () -> ws.awaitClose(3_000),
          "still open past the first token's expiry");
      assertEquals("pong", code(ws, Map.of("type", "ping", "id", 3)));
    }
  }

  @Test
  void aTokenForAnotherSubjectCannotNameTheVictimsId() throws Exception {
    String victimToken = TestTokens.token("victim", grant("imp-*", Role.LEADER, 1));
    String malloryToken = TestTokens.token("mallory", grant("imp-*", Role.LEADER, 9));
    try (NativeClient victim = NativeClient.connectWithToken(server.ws("/ws"), victimToken);
        WebSocketClient attacker = server.socket("/ws")) {
      assertEquals("unauthorized", NativeImpersonationTest.answer(attacker,
          Map.of("type", "hello", "id", "h1", "clientId", "victim", "token", malloryToken)));
      assertTrue(NativeImpersonationTest.answer(attacker,
          Map.of("type", "hello", "id", "h2", "token", malloryToken))
          .contains("\"clientId\":\"mallory\""));
      NativeImpersonationTest.victimKeepsItsRoomItsLeadershipAndItsChange(server, victim,
          attacker, "imp-token", TestTokens.bearer(victimToken));
    }
  }
}
