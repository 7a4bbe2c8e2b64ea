package dev.livestate.server.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, fault 1, over the HTTP API: a body whose strings hold half a surrogate pair, and a
 * room name whose percent-escapes are not UTF-8 (the form such a half takes in a URL), are
 * refused with 400 in the API's error shape; nothing of them reaches a room or the store.
 */
class RestLoneSurrogateTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  static String code(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).at("/error/code").asText();
  }

  @Test
  void aMessageWithALoneSurrogateIsRefusedAndTheStreamGoesOn() throws Exception {
    try (TestServer server = TestServer.start(Map.of());
        WebSocketClient subscriber = WebSocketClient.connect(server.ws("/ws"))) {
      assertEquals(201, server.send("PUT", "/api/rooms/feed").statusCode());
      subscriber.send("{\"type\":\"hello\",\"clientId\":\"subscriber\"}").awaitType("welcome");
      subscriber.send("{\"type\":\"join\",\"id\":1,\"room\":\"feed\"}").awaitType("joined");

      HttpResponse<String> bad = server.post("/api/rooms/feed/stream", "{\"t\\udfff\":1}");
      assertEquals(400, bad.statusCode(), bad.body());
      assertEquals("invalid_json", code(bad));
      HttpResponse<String> good = server.post("/api/rooms/feed/stream", "{\"t\":\"fine\"}");
      assertEquals(201, good.statusCode(), good.body());

      JsonNode event = subscriber.awaitType("message");
      assertEquals("fine", event.at("/message/body/t").asText(), event.toString());
      assertTrue(subscriber.isOpen());
      JsonNode listed = JSON.readTree(server.get("/api/rooms/feed/stream").body());
      assertEquals(1, listed.get("messages").size(), listed.toString());
    }
  }

  @Test
  void roomNamesThatAreNotUtf8AreRefusedSoNoneMergeAcrossARestart() throws Exception {
    try (TestServer server = TestServer.start(dataDir, Map.of())) {
      for (String half : new String[] {"%ED%A0%80", "%ED%A0%81"}) {
        HttpResponse<String> r = server.send("PUT", "/api/rooms/twin" + half);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("bad_request", code(r));
      }
      assertEquals(201, server.send("PUT", "/api/rooms/twin%F0%9F%98%80").statusCode());
    }
    try (TestServer server = TestServer.start(dataDir, Map.of())) {
      // U+FFFD and '?' are what the refused names would have become
      assertEquals(404, server.get("/api/rooms/twin%EF%BF%BD").statusCode());
      assertEquals(404, server.get("/api/rooms/twin%3F").statusCode());
      HttpResponse<String> kept = server.get("/api/rooms/twin%F0%9F%98%80");
      assertEquals(200, kept.statusCode(), kept.body());
    }
  }
}
