package dev.livestate.server.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API of docs/protocol.md: room creation, the room list, a room and its errors. */
class RestApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;
  /** Around the server's start, by {@link System#nanoTime}. */
  static long beforeStart;
  static long afterStart;

  @BeforeAll
  static void start() throws Exception {
    beforeStart = System.nanoTime();
    server = TestServer.start();
    afterStart = System.nanoTime();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> put(String path, String body) throws Exception {
    return Http.CLIENT.send(HttpRequest.newBuilder(URI.create(server.http(path)))
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), r.body());
    return JSON.readTree(r.body());
  }

  static JsonNode listed(String room) throws Exception {
    for (JsonNode r : json(server.get("/api/rooms")).get("rooms")) {
      if (r.get("name").asText().equals(room)) {
        return r;
      }
    }
    throw new AssertionError("no room " + room + " in /api/rooms");
  }

  /** A native client, past hello, joined to {@code room}; returns the joined reply. */
  static JsonNode join(WebSocketClient ws, String clientId, String room, Map<String, Object> extra) {
    ws.send(Map.of("type", "hello", "id", "h", "clientId", clientId));
    ws.await(n -> n.path("type").asText().equals("welcome"));
    Map<String, Object> join = new java.util.HashMap<>(extra);
    join.putAll(Map.of("type", "join", "id", "j", "room", room));
    ws.send(join);
    return ws.await(n -> n.path("id").asText().equals("j"));
  }

  @Test
  void putCreatesARoomWith201AndAnswers200OnceItExists() throws Exception {
    HttpResponse<String> created = put("/api/rooms/made", "{\"policy\":\"first-writer-wins\",\"durable\":false}");
    assertEquals(201, created.statusCode(), created.body());
    JsonNode body = json(created);
    assertEquals("made", body.get("room").asText());
    assertTrue(body.get("created").asBoolean());
    JsonNode entry = listed("made");
    assertEquals("first-writer-wins", entry.get("policy").asText(), "the body is the room's config");
    assertFalse(entry.get("durable").asBoolean());

    HttpResponse<String> again = put("/api/rooms/made", "");
    assertEquals(200, again.statusCode());
    assertEquals("made", json(again).get("room").asText());
    assertFalse(json(again).get("created").asBoolean());

    HttpResponse<String> bad = put("/api/rooms/unmade", "{\"policy\":\"loudest-wins\"}");
    assertEquals(400, bad.statusCode());
    assertEquals("bad_request", json(bad).at("/error/code").asText());
    assertEquals(404, server.get("/api/rooms/unmade").statusCode(), "a refused config creates nothing");
  }

  @Test
  void theRoomListAndARoomShowTheirRealValues() throws Exception {
    try (WebSocketClient lead = WebSocketClient.connect(server.ws("/ws"));
        WebSocketClient other = WebSocketClient.connect(server.ws("/ws"))) {
      JsonNode joined = join(lead, "leader-1", "listed", Map.of("role", "leader",
          "create", Map.of("policy", "priority")));
      join(other, "watcher-1", "listed", Map.of("role", "reader"));
      lead.send(Map.of("type", "submit", "id", "s", "room", "listed", "changes", List.of(
          Map.of("localSeq", 1, "baseSeq", 0, "set", Map.of("a", 1)),
          Map.of("localSeq", 2, "baseSeq", 0, "set", Map.of("b", Map.of("c", List.of(true)))))));
      assertEquals(2, lead.await(n -> n.path("id").asText().equals("s")).get("acks").size());

      JsonNode entry = listed("listed");
      assertEquals(joined.get("epoch").asText(), entry.get("epoch").asText());
      assertEquals(2, entry.get("seq").asLong());
      assertEquals("priority", entry.get("policy").asText());
      assertTrue(entry.get("durable").asBoolean());
      assertEquals("leader-1", entry.get("leader").asText());
      assertEquals(2, entry.get("subscribers").asInt());

      JsonNode room = json(server.get("/api/rooms/listed"));
      assertEquals("listed", room.get("room").asText());
      assertEquals(joined.get("epoch").asText(), room.get("epoch").asText());
      assertEquals(2, room.get("seq").asLong());
      assertEquals(JSON.readTree("{\"a\":1,\"b\":{\"c\":[true]}}"), room.get("state"));
    }
    Await.until("both to have left", () -> {
      try {
        JsonNode e = listed("listed");
        return e.get("subscribers").asInt() == 0 && e.get("leader").isNull();
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
    });
  }

  @Test
  void healthSaysOkAndCountsRoomsAndWholeSecondsOfUptime() throws Exception {
    JsonNode before = json(server.get("/healthz"));
    assertEquals("ok", before.get("status").asText());
    assertEquals(json(server.get("/api/rooms")).get("rooms").size(), before.get("rooms").asInt());
    put("/api/rooms/health", "");
    assertEquals(before.get("rooms").asInt() + 1, json(server.get("/healthz")).get("rooms").asInt());

    Await.until("a second of uptime", () -> uptime() >= 1);
    long asked = System.nanoTime();
    long up = uptime();
    long answered = System.nanoTime();
    assertTrue(up <= (answered - beforeStart) / 1_000_000_000L, "at most the seconds since start: " + up);
    assertTrue(up >= (asked - afterStart) / 1_000_000_000L - 1, "at least the whole seconds since: " + up);
  }

  private static long uptime() {
    try {
      JsonNode u = json(server.get("/healthz")).get("uptimeSeconds");
      assertTrue(u.isIntegralNumber(), u.toString());
      return u.asLong();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
