package dev.livestate.server.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A room's stream over HTTP, the error shape, and room names that need percent-encoding. */
class RestStreamTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static List<Long> times(String query) throws Exception {
    HttpResponse<String> r = server.get("/api/rooms/timed/stream" + query);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("timed", body.get("room").asText());
    List<Long> times = new ArrayList<>();
    body.get("messages").forEach(m -> times.add(m.get("time").asLong()));
    return times;
  }

  @Test
  void theStreamIsReadByTimeRange() throws Exception {
    server.send("PUT", "/api/rooms/timed");
    for (long t : new long[] {3_000, 1_000, 2_000}) {
      HttpResponse<String> r = server.post("/api/rooms/timed/stream?time=" + t, "{\"at\":" + t + "}");
      assertEquals(201, r.statusCode(), r.body());
      JsonNode m = JSON.readTree(r.body());
      assertEquals(t, m.get("time").asLong());
      assertEquals(t, m.at("/body/at").asLong());
      assertEquals(true, m.get("id").isIntegralNumber());
    }
    assertEquals(List.of(1_000L, 2_000L, 3_000L), times(""));
    assertEquals(List.of(2_000L, 3_000L), times("?from=1500"));
    assertEquals(List.of(1_000L, 2_000L), times("?to=2000"));
    assertEquals(List.of(2_000L), times("?from=2000&to=2000"));
    assertEquals(List.of(), times("?from=3001"));
    JsonNode all = JSON.readTree(server.get("/api/rooms/timed/stream").body());
    assertEquals(1_000, all.at("/messages/0/body/at").asLong());

    HttpResponse<String> bad = server.get("/api/rooms/timed/stream?from=yesterday");
    assertEquals(400, bad.statusCode());
    assertEquals("bad_request", JSON.readTree(bad.body()).at("/error/code").asText());
  }

  @Test
  void anUnknownRoomIs404WithTheErrorShape() throws Exception {
    for (String path : List.of("/api/rooms/nowhere", "/api/rooms/nowhere/stream")) {
      HttpResponse<String> r = server.get(path);
      assertEquals(404, r.statusCode(), path);
      JsonNode error = JSON.readTree(r.body()).get("error");
      assertEquals("unknown_room", error.get("code").asText(), path);
      assertFalse(error.get("message").asText().isEmpty(), path);
    }
    HttpResponse<String> post = server.post("/api/rooms/nowhere/stream", "1");
    assertEquals(404, post.statusCode());
    assertEquals("unknown_room", JSON.readTree(post.body()).at("/error/code").asText());
  }

  @Test
  void aPercentEncodedNameReachesTheRoomANativeClientJoinedByItsPlainName() throws Exception {
    try (WebSocketClient ws = WebSocketClient.connect(server.ws("/ws"))) {
      ws.send(Map.of("type", "join", "id", 1, "room", "a/b:c", "create", true));
      ws.await(n -> n.path("id").asInt() == 1);
      ws.send(Map.of("type", "submit", "id", 2, "room", "a/b:c", "changes",
          List.of(Map.of("localSeq", 1, "baseSeq", 0, "set", Map.of("k", "v")))));
      ws.await(n -> n.path("id").asInt() == 2);

      JsonNode room = JSON.readTree(server.get("/api/rooms/a%2Fb%3Ac").body());
      assertEquals("a/b:c", room.get("room").asText(), room.toString());
      assertEquals("v", room.at("/state/k").asText());

      assertEquals(201, server.post("/api/rooms/a%2Fb%3Ac/stream", "\"hello\"").statusCode());
      JsonNode message = ws.await(n -> n.path("type").asText().equals("message"));
      assertEquals("a/b:c", message.get("room").asText());
      assertEquals("hello", message.at("/message/body").asText());

      assertEquals(201, server.send("PUT", "/api/rooms/x%2Fy%3Az").statusCode());
      ws.send(Map.of("type", "join", "id", 3, "room", "x/y:z"));
      assertEquals("joined", ws.await(n -> n.path("id").asInt() == 3).get("type").asText(),
          "the room created over HTTP is the one named x/y:z");
    }
  }
}
