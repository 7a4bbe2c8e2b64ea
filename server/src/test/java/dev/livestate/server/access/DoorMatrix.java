package dev.livestate.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client without an operator's grant tries against another surface's room, through the
 * native WebSocket and the HTTP API, and what each attempt must be answered. The subclasses run
 * it in open mode (an anonymous client) and in token mode (a client whose token grants every
 * room by name, as a writer with a high priority: a name is not a grant across surfaces).
 */
abstract class DoorMatrix {

  /** The native connection of the client trying, greeted. */
  abstract WebSocketClient nativeClient(TestServer server) throws Exception;

  /** The HTTP headers of the client trying (name, value, ...). */
  abstract String[] httpHeaders();

  /** A join's own token for {@code room}, or null where the mode has none. */
  abstract String subscriptionToken(String room);

  static String path(String room) {
    return "/api/rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8);
  }

  /** Every native request on {@code room}, each answered with its refusal code. */
  Map<String, String> nativeAttempts(WebSocketClient ws, String room) {
    Map<String, Map<String, Object>> requests = new LinkedHashMap<>();
    requests.put("join", Map.of("type", "join", "room", room));
    requests.put("join as reader", Map.of("type", "join", "room", room, "role", "reader"));
    requests.put("join as leader", Map.of("type", "join", "room", room, "role", "leader"));
    requests.put("join with create", Map.of("type", "join", "room", room, "create", true));
    String token = subscriptionToken(room);
    if (token != null) {
      requests.put("join with the room's own token",
          Map.of("type", "join", "room", room, "token", token));
    }
    requests.put("submit", Map.of("type", "submit", "room", room, "changes",
        List.of(Map.of("localSeq", 1, "baseSeq", 0, "set", Map.of("injected", true)))));
    requests.put("lead", Map.of("type", "lead", "room", room));
    requests.put("presence", Map.of("type", "presence", "room", room, "data", Map.of("x", 1)));
    requests.put("publish", Map.of("type", "publish", "room", room, "body", "injected"));
    requests.put("history", Map.of("type", "history", "room", room));
    Map<String, String> answers = new LinkedHashMap<>();
    int id = 100;
    for (Map.Entry<String, Map<String, Object>> r : requests.entrySet()) {
      Map<String, Object> request = new LinkedHashMap<>(r.getValue());
      int mine = ++id;
      request.put("id", mine);
      ws.send(request);
      JsonNode answer = ws.await(n -> n.path("id").asInt() == mine);
      answers.put(r.getKey(), answer.path("type").asText().equals("error")
          ? answer.get("code").asText() : answer.path("type").asText());
    }
    return answers;
  }

  /** What every native attempt must get: forbidden, or not_joined where a join is needed. */
  Map<String, String> nativeRefusals() {
    Map<String, String> expected = new LinkedHashMap<>();
    for (String join : List.of("join", "join as reader", "join as leader", "join with create")) {
      expected.put(join, "forbidden");
    }
    if (subscriptionToken("x") != null) {
      expected.put("join with the room's own token", "forbidden");
    }
    for (String member : List.of("submit", "lead", "presence", "publish")) {
      expected.put(member, "not_joined");
    }
    expected.put("history", "forbidden");
    return expected;
  }

  /** Every HTTP API request on {@code room}, each answered with its status. */
  Map<String, Integer> httpAttempts(TestServer server, String room) throws Exception {
    String[] h = httpHeaders();
    Map<String, Integer> answers = new LinkedHashMap<>();
    answers.put("read", server.send("GET", path(room), h).statusCode());
    answers.put("read stream", server.send("GET", path(room) + "/stream", h).statusCode());
    answers.put("create", server.send("PUT", path(room), h).statusCode());
    answers.put("write stream",
        server.post(path(room) + "/stream", "\"injected\"", h).statusCode());
    answers.put("delete", server.send("DELETE", path(room), h).statusCode());
    return answers;
  }

  static Map<String, Integer> httpRefusals() {
    return Map.of("read", 403, "read stream", 403, "create", 403, "write stream", 403,
        "delete", 403);
  }

  /** Runs every attempt on every surface's room; the owners' listeners must hear nothing. */
  void noDoorReachesAnotherSurfacesRooms(TestServer server) throws Exception {
    try (SurfaceRooms surfaces = new SurfaceRooms(server);
        WebSocketClient ws = nativeClient(server)) {
      surfaces.mark();
      for (String room : surfaces.rooms()) {
        assertEquals(nativeRefusals(), nativeAttempts(ws, room), "native door, " + room);
        assertEquals(httpRefusals(), httpAttempts(server, room), "HTTP API, " + room);
      }
      String listed = server.send("GET", "/api/rooms", httpHeaders()).body();
      for (String room : surfaces.rooms()) {
        assertFalse(listed.contains(room), room + " listed: " + listed);
      }
      surfaces.assertOwnersHeardNothing();
    }
  }
}
