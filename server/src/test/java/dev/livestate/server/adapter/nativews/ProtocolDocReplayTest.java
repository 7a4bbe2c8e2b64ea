package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import dev.livestate.server.auth.TokenMinter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Sends the requests of docs/protocol.md, in the spec's order, to a real server (with the
 * spec's token) and holds every answer against the reply or event the spec shows for it: the
 * same fields (all of them, unless the spec elides some with "...") with the same JSON types.
 */
class ProtocolDocReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Fields whose keys are data (room state, presence, values), not protocol. */
  private static final Set<String> DATA = Set.of("set", "reset", "snapshot", "presence", "winners",
      "data", "body");

  /** The spec's request of that type and id, as a JSON object to send. */
  static ObjectNode request(List<String> requests, String type, int id) throws Exception {
    for (String r : requests) {
      JsonNode n = JSON.readTree(r);
      if (n.get("type").asText().equals(type) && n.path("id").asInt() == id) {
        return (ObjectNode) n;
      }
    }
    throw new AssertionError("docs/protocol.md shows no " + type + " request with id " + id);
  }

  static JsonNode send(WebSocketClient ws, JsonNode request) {
    ws.send(request.toString());
    return ws.await(n -> n.path("id").equals(request.get("id")));
  }

  static JsonNode event(WebSocketClient ws, String type) {
    return ws.await(n -> n.path("type").asText().equals(type) && !n.has("id"));
  }

  static void hello(WebSocketClient ws, String clientId) {
    ws.send(Map.of("type", "hello", "id", "hello", "clientId", clientId));
    assertEquals("welcome", ws.await(n -> n.path("id").asText().equals("hello")).get("type").asText());
  }

  @Test
  void theServerAnswersTheSpecsRequestsAsTheSpecShows() throws Exception {
    List<String> requests = ProtocolDocTest.requestExamples();
    Map<String, JsonNode> real = new HashMap<>(); // "type id" (or "type" for events) → answer
    try (TestServer server = TestServer.start(Map.of());
        WebSocketClient alice = WebSocketClient.connect(server.ws("/ws"));
        WebSocketClient bob = WebSocketClient.connect(server.ws("/ws"));
        WebSocketClient carol = WebSocketClient.connect(server.ws("/ws"))) {
      keep(real, send(alice, request(requests, "hello", 1)));
      JsonNode joined = send(alice, request(requests, "join", 2));
      keep(real, joined);
      hello(bob, "bob");
      bob.send(Map.of("type", "join", "id", "j", "room", "demo"));
      bob.await(n -> n.path("id").asText().equals("j"));

      keep(real, send(alice, request(requests, "submit", 3)));
      keep(real, event(bob, "ops"));
      // bob had seen nothing, and his priority (0) is below alice's (5): the conflict example
      bob.send(Map.of("type", "submit", "id", 4, "room", "demo", "changes", List.of(
          Map.of("localSeq", 3, "baseSeq", 0, "set", Map.of("title", "Bob's")))));
      keep(real, bob.await(n -> n.path("id").asInt() == 4));
      // alice confirms she saw the answers to her first two changes, then resends the first
      keep(real, send(alice, request(requests, "submit", 15)));

      keep(real, send(alice, request(requests, "lead", 5)));
      keep(real, event(bob, "leader"));
      keep(real, send(alice, request(requests, "unlead", 6)));

      // the reconnect example, from a position this room did issue
      hello(carol, "carol");
      ObjectNode rejoin = request(requests, "join", 7);
      ((ObjectNode) rejoin.get("since")).put("epoch", joined.get("epoch").asText()).put("seq", 0);
      JsonNode tail = send(carol, rejoin);
      assertEquals(2, tail.get("ops").size(), tail.toString());
      assertEquals(JSON.readTree("{\"title\":\"Hello\"}"), tail.get("ops").get(0).get("set"));
      assertEquals(JSON.readTree("[\"draft\",\"old\"]"), tail.get("ops").get(0).get("delete"),
          "a request's null in set and its delete list both come as the event's delete");
      keep(real, tail);

      keep(real, send(alice, request(requests, "presence", 8)));
      keep(real, event(bob, "presence"));
      keep(real, send(alice, request(requests, "publish", 9)));
      keep(real, event(bob, "message"));
      JsonNode history = send(alice, request(requests, "history", 10));
      assertEquals(1, history.get("messages").size(), history.toString());
      keep(real, history);
      keep(real, send(alice, request(requests, "leave", 11)));
      keep(real, send(alice, request(requests, "ping", 12)));
      // the error example: a request naming a room alice has now left
      keep(real, send(alice, JSON.readTree("{\"type\":\"submit\",\"id\":3,\"room\":\"demo\","
          + "\"changes\":[{\"localSeq\":9,\"baseSeq\":0,\"set\":{\"x\":1}}]}")));
      // the large-room example: three values, each larger than a part
      carol.send(Map.of("type", "join", "id", "atlas", "room", "atlas", "create", true));
      carol.await(n -> n.path("id").asText().equals("atlas"));
      for (int tile = 1; tile <= 3; tile++) {
        carol.send(Map.of("type", "submit", "id", "tile" + tile, "room", "atlas", "changes",
            List.of(Map.of("localSeq", tile, "baseSeq", 0,
                "set", Map.of("tile-" + tile, "x".repeat(1_100_000))))));
        String id = "tile" + tile;
        carol.await(n -> n.path("id").asText().equals(id));
      }
      keep(real, send(bob, request(requests, "join", 16)));
      keep(real, event(bob, "snapshot-part"));
    }
    // token mode: the spec's tokens stand for real ones, signed with the server's secret
    String secret = "a secret of at least thirty-two bytes";
    TokenMinter minter = new TokenMinter(secret);
    try (TestServer server = TestServer.start(Map.of("auth.hmac-secret", secret));
        WebSocketClient alice = WebSocketClient.connect(server.ws("/ws"))) {
      ObjectNode hello = request(requests, "hello", 13);
      hello.put("token", minter.mint("alice", List.of(), false, null,
          Instant.now().plusSeconds(3600)));
      keep(real, send(alice, hello));
      ObjectNode refresh = request(requests, "refresh", 14);
      refresh.put("token", minter.mint("alice", List.of(), false, null,
          Instant.now().plusSeconds(7200)));
      keep(real, send(alice, refresh));
    }

    List<ProtocolDocTest.Example> shown = ProtocolDocTest.examples("←");
    List<String> unmatched = new ArrayList<>();
    for (ProtocolDocTest.Example e : shown) {
      JsonNode doc = JSON.readTree(e.json());
      JsonNode answer = real.get(key(doc));
      if (answer == null) {
        unmatched.add(e.json());
        continue;
      }
      sameShape(doc, answer, e.partial(), key(doc));
    }
    assertEquals(List.of(), unmatched, "replies shown but not replayed");
  }

  private static void keep(Map<String, JsonNode> real, JsonNode answer) {
    real.putIfAbsent(key(answer), answer);
  }

  private static String key(JsonNode n) {
    return n.get("type").asText() + (n.has("id") ? " " + n.get("id").asText() : "");
  }

  /** Same fields with the same JSON types; data fields only need to be objects. */
  private static void sameShape(JsonNode doc, JsonNode real, boolean partial, String where) {
    assertNotNull(real, where + " is missing");
    assertEquals(doc.getNodeType(), real.getNodeType(), where + ": " + real);
    if (doc.isObject()) {
      if (!partial) {
        assertEquals(new TreeSet<>(iterable(doc)), new TreeSet<>(iterable(real)),
            where + ": the fields shown are the fields sent");
      }
      for (String field : iterable(doc)) {
        if (DATA.contains(field)) {
          assertTrue(iterable(real).contains(field), where + "." + field + " missing: " + real);
          JsonNode value = real.has(field) ? real.get(field) : real.get("reset");
          if (doc.get(field).isObject() && !field.equals("data") && !field.equals("body")) {
            assertTrue(value.isObject(), where + "." + field);
          }
        } else {
          sameShape(doc.get(field), real.get(field), false, where + "." + field);
        }
      }
    } else if (doc.isArray() && doc.size() > 0) {
      assertTrue(real.size() > 0, where + " is empty: " + real);
      for (JsonNode element : real) {
        sameShape(doc.get(0), element, false, where + "[]");
      }
    }
  }

  /**
   * The field names; an op's "reset" counts as the "set" the spec shows (one of the two), and its
   * "delete", there only when the op deleted keys, is left out (the test checks it itself).
   */
  private static List<String> iterable(JsonNode n) {
    boolean op = n.has("seq") && n.has("writer");
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(f -> {
      if (!(op && f.equals("delete"))) {
        names.add(op && f.equals("reset") ? "set" : f);
      }
    });
    return names;
  }
}
