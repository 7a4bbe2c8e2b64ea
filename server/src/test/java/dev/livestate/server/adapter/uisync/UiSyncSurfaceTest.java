package dev.livestate.server.adapter.uisync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.LivestateServer;
import dev.livestate.server.config.Settings;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI sync surface in the real server, at the Engine.IO wire level (the npm socket.io-client
 * tests are in e2e/test/uisync*.test.mjs): polling handshake and WebSocket through Vert.x.
 */
class UiSyncSurfaceTest {
  @TempDir Path dir;
  private LivestateServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    server = LivestateServer.start(Settings.of(LivestateServer.allSettings(),
        Map.of("port", "0", "data-dir", dir.toString(), "store", "memory")));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void rootAnswersOnlineForHealthChecks() throws Exception {
    HttpResponse<String> r = get("/");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("online"));
  }

  @Test
  void pollingHandshakeConnectAndConfirmConnect() throws Exception {
    HttpResponse<String> open = get("/socket.io/?EIO=4&transport=polling");
    assertEquals(200, open.statusCode());
    assertTrue(open.body().startsWith("0{"), open.body());
    assertTrue(open.body().contains("\"pingInterval\": 25000"), open.body());
    assertTrue(open.body().contains("\"pingTimeout\": 20000"), open.body());
    String sid = open.body().replaceAll(".*\"sid\": \"([^\"]+)\".*", "$1");
    String q = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base() + q))
        .POST(HttpRequest.BodyPublishers.ofString("40")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("ok", post.body());
    HttpResponse<String> poll = get(q);
    assertTrue(poll.body().startsWith("40{\"sid\":"), poll.body());
    assertTrue(poll.body().contains("42[\"confirm_connect\",{\"leaders\":{}}]"), poll.body());
  }

  @Test
  void websocketOnlyClientPingsAndIsToldOfErrors() throws Exception {
    try (WebSocketClient ws = WebSocketClient.connect(
        "ws://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=websocket")) {
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
