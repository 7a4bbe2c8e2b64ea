package dev.livestate.server.adapter.uisync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The UI sync surface in the real server, at the Engine.IO wire level (the npm socket.io-client
 * tests are in e2e/test/uisync*.test.mjs): polling handshake and WebSocket through Vert.x.
 */
class UiSyncSurfaceTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("store", "memory"));

  @Test
  void rootAnswersOnlineForHealthChecks() throws Exception {
    HttpResponse<String> r = server.get("/");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("online"));
  }

  @Test
  void pollingHandshakeConnectAndConfirmConnect() throws Exception {
    HttpResponse<String> open = server.get("/socket.io/?EIO=4&transport=polling");
    assertEquals(200, open.statusCode());
    assertTrue(open.body().startsWith("0{"), open.body());
    assertTrue(open.body().contains("\"pingInterval\": 25000"), open.body());
    assertTrue(open.body().contains("\"pingTimeout\": 20000"), open.body());
    String sid = open.body().replaceAll(".*\"sid\": \"([^\"]+)\".*", "$1");
    String q = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    HttpResponse<String> post = server.post(q, "40");
    assertEquals("ok", post.body());
    HttpResponse<String> poll = server.get(q);
    assertTrue(poll.body().startsWith("40{\"sid\":"), poll.body());
    assertTrue(poll.body().contains("42[\"confirm_connect\",{\"leaders\":{}}]"), poll.body());
  }

  @Test
  void websocketOnlyClientPingsAndIsToldOfErrors() throws Exception {
    try (WebSocketClient ws = WebSocketClient.connect(
        server.ws("/socket.io/?EIO=4&transport=websocket"))) {
      assertTrue(next(ws).startsWith("0{"));
      ws.send("40");
      assertTrue(next(ws).startsWith("40{"));
      assertEquals("42[\"confirm_connect\",{\"leaders\":{}}]", next(ws));
      ws.send("42[\"my_ping\"]");
      assertEquals("42[\"my_pong\"]", next(ws));
      ws.send("42[\"ui_change\",{\"site\":\"mrc\",\"mutation_name\":\"k\",\"new_val\":1}]");
      String error = next(ws);
      assertTrue(error.startsWith("42[\"error\",{\"event\":\"ui_change\",\"site\":\"mrc\",\"reason\":\"not_leader\""),
          error);
    }
  }

  /** The next frame, whatever it is. */
  private static String next(WebSocketClient ws) {
    return ws.nextText(frame -> true);
  }
}
