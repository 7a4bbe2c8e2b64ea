package dev.livestate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code limits.max-connections-per-address} counts the TCP connections of one address across
 * every surface: past it a WebSocket upgrade, or any request, gets 429 and its connection is
 * closed; once one closes, the address may connect again.
 */
class ConnectionsPerAddressTest {

  @Test
  void pastTheLimitAnUpgradeOnAnySurfaceGets429UntilAConnectionCloses() throws Exception {
    try (TestServer s = TestServer.start(Map.of("store", "memory",
        "limits.max-connections-per-address", "3"))) {
      List<WebSocketClient> open = new ArrayList<>();
      open.add(s.socket("/ws"));
      open.add(s.socket("/sharedstate"));
      open.add(s.socket("/logs/ws?site=x"));
      assertEquals(429, s.upgradeStatus("/meet"));
      assertEquals(429, s.upgradeStatus("/ws"));
      assertTrue(rawGet(s, "/healthz").startsWith("HTTP/1.1 429"), "a plain request as well");
      open.remove(0).close();
      Await.until("a freed place", () -> s.upgradeStatus("/ws") == 101);
      open.forEach(WebSocketClient::close);
    }
  }

  @Test
  void zeroLimitsNothing() throws Exception {
    try (TestServer s = TestServer.start(Map.of("store", "memory",
        "limits.max-connections-per-address", "0"))) {
      List<WebSocketClient> open = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        open.add(s.socket("/ws"));
      }
      assertEquals(101, s.upgradeStatus("/ws"));
      open.forEach(WebSocketClient::close);
    }
  }

  /** The status line of a GET on a connection of its own. */
  private static String rawGet(TestServer s, String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", s.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(),
          StandardCharsets.US_ASCII)).readLine();
    }
  }
}
