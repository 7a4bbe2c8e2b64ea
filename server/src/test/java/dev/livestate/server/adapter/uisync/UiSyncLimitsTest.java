package dev.livestate.server.adapter.uisync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code uisync.max-message} and malformed input at the Engine.IO wire level (docs/compat/uisync.md,
 * Transport and Deep nesting): a WebSocket message over the limit closes that connection with
 * 1009, a polling POST over it gets 413; a message at the limit is accepted; a payload nested too
 * deeply closes with 1007 (polling: 400); a handshake whose query repeats a name or names an
 * Engine.IO version other than 3 or 4 is refused with 400, as Node's engine.io refuses it. Every
 * other connection carries on.
 */
class UiSyncLimitsTest {
  /** A small limit, so that its edges are cheap to hit exactly. */
  private static final int LIMIT = 2048;
  private static final String DEEP = "42[\"ui_change\"," + "[".repeat(300_000) + "]".repeat(300_000) + "]";

  @TempDir Path dir;
  private TestServer server;

  private TestServer start(Map<String, String> settings) throws Exception {
    server = TestServer.start(dir, Map.of("store", "memory", "uisync.max-message",
        settings.getOrDefault("uisync.max-message", String.valueOf(LIMIT))));
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** A {@code my_ping} frame padded with {@code fill} to exactly {@code bytes} bytes of UTF-8. */
  static String pingOfBytes(int bytes, char fill) {
    String head = "42[\"my_ping\",\"";
    String tail = "\"]";
    int perChar = String.valueOf(fill).getBytes(StandardCharsets.UTF_8).length;
    int room = bytes - head.length() - tail.length();
    String frame = head + String.valueOf(fill).repeat(room / perChar) + "x".repeat(room % perChar) + tail;
    assertEquals(bytes, frame.getBytes(StandardCharsets.UTF_8).length);
    return frame;
  }

  @Test
  void websocketMessageOfExactlyMaxMessageIsAcceptedOneByteMoreClosesWith1009() throws Exception {
    start(Map.of());
    try (EngineIoClient bystander = EngineIoClient.connect(server.port());
        EngineIoClient atLimit = EngineIoClient.connect(server.port());
        EngineIoClient over = EngineIoClient.connect(server.port())) {
      atLimit.send(pingOfBytes(LIMIT, 'x'));
      atLimit.next(f -> f.equals("42[\"my_pong\"]"));
      atLimit.roundTrip();

      over.send(pingOfBytes(LIMIT + 1, 'x'));
      assertEquals(1009, over.awaitClose(10_000));
      bystander.roundTrip();
      atLimit.roundTrip();
    }
  }

  @Test
  void maxMessageCountsUtf8BytesNotCharacters() throws Exception {
    start(Map.of());
    try (EngineIoClient atLimit = EngineIoClient.connect(server.port());
        EngineIoClient over = EngineIoClient.connect(server.port())) {
      // two bytes per character: well under the limit in characters, at or over it in bytes
      String exact = pingOfBytes(LIMIT, 'é');
      assertTrue(exact.length() < LIMIT * 2 / 3, "far fewer characters than bytes");
      atLimit.send(exact);
      atLimit.next(f -> f.equals("42[\"my_pong\"]"));

      over.send(pingOfBytes(LIMIT + 1, 'é'));
      assertEquals(1009, over.awaitClose(10_000));
      atLimit.roundTrip();
    }
  }

  @Test
  void pollingPostOfExactlyMaxMessageIsAcceptedOneByteMoreGets413() throws Exception {
    start(Map.of());
    try (EngineIoClient bystander = EngineIoClient.connect(server.port())) {
      String session = pollingSession();
      HttpResponse<String> ok = server.post(session, pingOfBytes(LIMIT, 'x'));
      assertEquals(200, ok.statusCode(), ok.body());
      assertTrue(poll(session).contains("42[\"my_pong\"]"));

      assertEquals(413, server.post(session, pingOfBytes(LIMIT + 1, 'x')).statusCode());
      assertEquals(413, server.post(session, pingOfBytes(LIMIT + 1, 'é')).statusCode(),
          "the POST limit is in bytes too");
      bystander.roundTrip();
    }
  }

  @Test
  void websocketPayloadNestedTooDeeplyClosesThatConnectionWith1007() throws Exception {
    start(Map.of("uisync.max-message", "1m"));
    try (EngineIoClient bystander = EngineIoClient.connect(server.port());
        EngineIoClient deep = EngineIoClient.connect(server.port())) {
      deep.send(DEEP);
      assertEquals(1007, deep.awaitClose(10_000));
      bystander.roundTrip();
      try (EngineIoClient later = EngineIoClient.connect(server.port())) {
        later.roundTrip();
      }
    }
  }

  @Test
  void pollingPostNestedTooDeeplyGets400() throws Exception {
    start(Map.of("uisync.max-message", "1m"));
    try (EngineIoClient bystander = EngineIoClient.connect(server.port())) {
      String session = pollingSession();
      assertEquals(400, server.post(session, DEEP).statusCode());
      bystander.roundTrip();
    }
  }

  @Test
  void bracketsInsideStringsAreNotNesting() throws Exception {
    start(Map.of("uisync.max-message", "1m"));
    // an escaped quote does not end the string: the brackets after it are still text
    String frame = "42[\"my_ping\",\"a \\\" " + "[{".repeat(5_000) + "\"]";
    try (EngineIoClient client = EngineIoClient.connect(server.port())) {
      client.send(frame);
      client.next(f -> f.equals("42[\"my_pong\"]"));
      String session = pollingSession();
      assertEquals(200, server.post(session, frame).statusCode());
      assertTrue(poll(session).contains("42[\"my_pong\"]"));
    }
  }

  @Test
  void aHandshakeWhoseQueryRepeatsANameIsRefusedWith400() throws Exception {
    start(Map.of());
    try (EngineIoClient bystander = EngineIoClient.connect(server.port())) {
      assertEquals(400, server.upgradeStatus("/socket.io/?EIO=4&transport=websocket&EIO=3"));
      assertEquals(400,
          server.upgradeStatus("/socket.io/?EIO=4&transport=websocket&transport=polling"));
      HttpResponse<String> polling = server.get("/socket.io/?EIO=4&transport=polling&EIO=3");
      assertEquals(400, polling.statusCode());
      assertEquals("{\"code\":3,\"message\":\"Bad request\"}", polling.body());
      bystander.roundTrip();
      assertEquals(101, server.upgradeStatus("/socket.io/?EIO=4&transport=websocket"));
    }
  }

  @Test
  void anEngineIoVersionOtherThan3Or4IsRefusedAsNodesEngineIoRefusesIt() throws Exception {
    start(Map.of());
    for (String eio : new String[] {"5", "x", ""}) {
      HttpResponse<String> polling = server.get("/socket.io/?EIO=" + eio + "&transport=polling");
      assertEquals(400, polling.statusCode(), eio);
      assertEquals("{\"code\":5,\"message\":\"Unsupported protocol version\"}", polling.body());
      assertEquals(400, server.upgradeStatus("/socket.io/?EIO=" + eio + "&transport=websocket"));
    }
    assertTrue(server.get("/socket.io/?EIO=4&transport=polling").body().startsWith("0{"));
    assertTrue(server.get("/socket.io/?EIO=3&transport=polling").body().contains(":0{"),
        "version 3 is still served, in its own framing");
  }

  /** Opens a polling session through the Socket.IO connect; returns its request path. */
  private String pollingSession() throws Exception {
    HttpResponse<String> open = server.get("/socket.io/?EIO=4&transport=polling");
    assertTrue(open.body().startsWith("0{"), open.body());
    String sid = open.body().replaceAll(".*\"sid\": ?\"([^\"]+)\".*", "$1");
    String session = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    assertEquals("ok", server.post(session, "40").body());
    assertTrue(poll(session).contains("confirm_connect"));
    return session;
  }

  private String poll(String session) throws Exception {
    return server.get(session).body();
  }
}
