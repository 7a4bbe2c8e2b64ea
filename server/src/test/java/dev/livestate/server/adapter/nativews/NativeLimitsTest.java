package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The documented default limits at their exact boundaries: JSON nesting (64 levels, counting the
 * request object itself) and message size (4 MiB).
 */
class NativeLimitsTest {
  static final int MAX_DEPTH = 64;
  static final int MAX_MESSAGE = 4 * 1024 * 1024;
  /** Defaults: the limits under test are the documented ones. */
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  /** A publish request whose JSON nests {@code depth} levels deep in all. */
  static String nested(int depth) {
    int arrays = depth - 1; // the request object is the first level
    return "{\"type\":\"publish\",\"id\":7,\"room\":\"limits\",\"body\":" + "[".repeat(arrays)
        + "]".repeat(arrays) + "}";
  }

  static final String HEAD = "{\"type\":\"publish\",\"id\":9,\"room\":\"limits-size\",\"body\":\"";
  static final String TAIL = "\"}";

  /** A publish request of exactly {@code bytes} bytes of UTF-8: a body of x's. */
  static String ofSize(int bytes) {
    String text = HEAD + "x".repeat(bodyLength(bytes)) + TAIL;
    assertEquals(bytes, text.getBytes(StandardCharsets.UTF_8).length);
    return text;
  }

  static int bodyLength(int bytes) {
    return bytes - HEAD.length() - TAIL.length();
  }

  @Test
  void sixtyFourLevelsOfNestingAreAcceptedAndSixtyFiveAreInvalidJson() throws Exception {
    try (NativeClient c = NativeClient.connect(server.ws("/ws"), "deep")) {
      c.join("limits", Map.of("create", Map.of("durable", false)));
      c.ws.send(nested(MAX_DEPTH));
      JsonNode accepted = c.ws.await(n -> n.path("id").asInt() == 7);
      assertEquals("published", accepted.get("type").asText(), accepted.toString());
      JsonNode history = c.request(Map.of("type", "history", "room", "limits"));
      JsonNode body = history.at("/messages/0/body");
      int depth = 0;
      for (JsonNode n = body; n.isArray(); n = n.path(0)) {
        depth++;
      }
      assertEquals(MAX_DEPTH - 1, depth, "the body comes back as deep as it went in");

      c.ws.send(nested(MAX_DEPTH + 1));
      JsonNode refused = c.ws.awaitType("error");
      assertEquals("invalid_json", refused.get("code").asText(), refused.toString());
      assertEquals("pong", c.request(Map.of("type", "ping")).get("type").asText(),
          "the connection stays usable");
    }
  }

  @Test
  void aMessageOfExactlyTheLimitIsAcceptedAndOneByteMoreClosesWithMessageTooBig() throws Exception {
    try (NativeClient c = NativeClient.connect(server.ws("/ws"), "big");
        WebSocketClient over = WebSocketClient.connect(server.ws("/ws"))) {
      c.join("limits-size", Map.of("create", Map.of("durable", false)));
      c.ws.send(ofSize(MAX_MESSAGE));
      JsonNode accepted = c.ws.await(n -> n.path("id").asInt() == 9);
      assertEquals("published", accepted.get("type").asText(), accepted.toString());
      JsonNode event = c.ws.awaitType("message");
      assertEquals(bodyLength(MAX_MESSAGE), event.at("/message/body").asText().length(),
          "the whole body arrived");

      over.send(ofSize(MAX_MESSAGE + 1));
      assertEquals(1009, over.awaitClose(10_000));
      assertTrue(c.ws.isOpen(), "only the offending connection is closed");
    }
  }
}
