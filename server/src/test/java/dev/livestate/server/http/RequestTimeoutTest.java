package dev.livestate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code limits.request-timeout} (1 s here): a client that does not send a whole request in time,
 * or leaves a keep-alive connection idle as long, loses its connection; a WebSocket and a long
 * poll the server holds are not cut. Raw sockets, as a slowloris client would use.
 */
class RequestTimeoutTest {
  /** Longer than any close these tests wait for: a connection open this long was never cut. */
  private static final int NEVER_MILLIS = 20_000;

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("store", "memory",
      "limits.request-timeout", "1s", "limits.max-connections-per-address", "0",
      "uisync.ping-interval", "3s"));

  @Test
  void fiftyConnectionsWithHalfARequestOrNothingAreAllClosed() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        Socket s = connect();
        if (i % 2 == 0) {
          send(s, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        }
        slow.add(s);
      }
      for (Socket s : slow) {
        assertEquals("", readUntilClosed(s), "closed without an answer");
      }
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void aRequestHeadSentAByteAtATimeIsClosedBeforeItEnds() throws Exception {
    byte[] head = ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X-Pad: " + "a".repeat(200)
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    try (Socket s = connect()) {
      s.setSoTimeout(100);
      for (int i = 0; i < head.length; i++) {
        s.getOutputStream().write(head[i]);
        try {
          if (s.getInputStream().read() < 0) {
            assertTrue(i < head.length - 1, "closed before the head was complete");
            return;
          }
        } catch (SocketTimeoutException stillOpen) {
          // the next byte
        }
      }
      throw new AssertionError("a head that took " + head.length / 10 + " s was read");
    } catch (IOException reset) {
      // writing to the closed connection failed: closed as it should be
    }
  }

  @Test
  void aBodyThatStopsHalfwayIsClosed() throws Exception {
    try (Socket s = connect()) {
      send(s, "POST /logs/newlog HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"site\": \"slow\"");
      assertEquals("", readUntilClosed(s), "closed without an answer");
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterItsAnswer() throws Exception {
    try (Socket s = connect()) {
      send(s, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      String all = readUntilClosed(s);
      assertTrue(all.startsWith("HTTP/1.1 200"), all);
    }
  }

  @Test
  void aWebSocketIdleLongerThanTheTimeoutStaysOpen() throws Exception {
    try (WebSocketClient ws = server.socket("/ws"); Socket later = connect()) {
      // the half request, sent after the WebSocket opened, is cut once the timeout has passed
      send(later, "GET /healthz HTTP/1.1\r\n");
      readUntilClosed(later);
      ws.send(Map.of("type", "hello", "id", 1, "clientId", "idle-websocket"));
      assertEquals("welcome", ws.await(m -> m.path("id").asInt() == 1).path("type").asText());
    }
  }

  @Test
  void aLongPollHeldPastTheTimeoutGetsItsAnswer() throws Exception {
    HttpResponse<String> open = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(server.http("/socket.io/?EIO=4&transport=polling"))).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher sid = Pattern.compile("\"sid\":\\s*\"([^\"]+)\"").matcher(open.body());
    assertTrue(sid.find(), open.body());
    try (Socket s = connect()) {
      // held until the server's ping (uisync.ping-interval, 3 s), three times the timeout
      send(s, "GET /socket.io/?EIO=4&transport=polling&sid=" + sid.group(1)
          + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      String all = readUntilClosed(s);
      assertTrue(all.startsWith("HTTP/1.1 200") && all.endsWith("2"), all);
    }
  }

  private static Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout(NEVER_MILLIS);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
  }

  /** Everything the server sends until it closes the connection (fails if it never does). */
  private static String readUntilClosed(Socket s) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        got.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("still open after " + NEVER_MILLIS + " ms; got: " + got);
    }
    return got.toString(StandardCharsets.UTF_8);
  }
}
