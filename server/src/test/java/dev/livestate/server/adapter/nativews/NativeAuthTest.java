package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server started with a native token admits only clients whose hello carries it. */
class NativeAuthTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("native.token", "s3cret"));

  static JsonNode reply(WebSocketClient ws, Object id) {
    return ws.await(n -> n.path("id").asText().equals(id.toString()));
  }

  @Test
  void helloWithTheTokenIsWelcomed() throws Exception {
    try (WebSocketClient ws = WebSocketClient.connect(server.ws("/ws"))) {
      ws.send(Map.of("type", "hello", "id", 1, "clientId", "alice", "token", "s3cret"));
      JsonNode welcome = reply(ws, 1);
      assertEquals("welcome", welcome.get("type").asText(), welcome.toString());
      assertEquals("alice", welcome.get("clientId").asText());
      assertEquals("livestate", welcome.get("server").asText());
      assertEquals(1, welcome.get("protocol").asInt());
      ws.send(Map.of("type", "join", "id", 2, "room", "auth", "create", true));
      assertEquals("joined", reply(ws, 2).get("type").asText());
    }
  }

  @Test
  void requestsBeforeAValidHelloAreUnauthorized() throws Exception {
    try (WebSocketClient ws = WebSocketClient.connect(server.ws("/ws"))) {
      ws.send(Map.of("type", "join", "id", 1, "room", "auth", "create", true));
      assertEquals("unauthorized", reply(ws, 1).get("code").asText());
      ws.send(Map.of("type", "ping", "id", 2));
      assertEquals("unauthorized", reply(ws, 2).get("code").asText(), "even a ping");
      assertTrue(ws.isOpen());
    }
  }

  @Test
  void helloWithAMissingOrWrongTokenIsUnauthorizedAndMayBeRetried() throws Exception {
    try (WebSocketClient ws = WebSocketClient.connect(server.ws("/ws"))) {
      ws.send(Map.of("type", "hello", "id", 1, "clientId", "mallory"));
      JsonNode missing = reply(ws, 1);
      assertEquals("error", missing.get("type").asText());
      assertEquals("unauthorized", missing.get("code").asText());
      ws.send(Map.of("type", "hello", "id", 2, "clientId", "mallory", "token", "guess"));
      assertEquals("unauthorized", reply(ws, 2).get("code").asText());
      ws.send(Map.of("type", "join", "id", 3, "room", "auth", "create", true));
      assertEquals("unauthorized", reply(ws, 3).get("code").asText(), "a wrong hello admits nothing");

      ws.send(Map.of("type", "hello", "id", 4, "clientId", "mallory", "token", "s3cret"));
      assertEquals("welcome", reply(ws, 4).get("type").asText(), "the connection stayed usable");
      ws.send(Map.of("type", "ping", "id", 5));
      assertEquals("pong", reply(ws, 5).get("type").asText());
    }
  }
}
