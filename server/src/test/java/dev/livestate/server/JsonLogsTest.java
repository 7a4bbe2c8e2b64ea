package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --log-format json}: every line the server writes is one JSON object, a line about a
 * room carries the room and the client as fields, and a client whose connection is reset
 * (it vanished, as phones and laptops do) is no warning or error.
 */
class JsonLogsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<JsonNode> lines(ChildServer server) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : server.log().split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(JSON.readTree(line));
        } catch (Exception e) {
          fail("not a JSON line: " + line);
        }
      }
    }
    return lines;
  }

  private static boolean hasField(JsonNode line, String key, String value) {
    for (JsonNode kv : line.path("kvpList")) {
      if (value.equals(kv.path(key).asText(null))) {
        return true;
      }
    }
    return false;
  }

  /** One masked text frame (mask key zero: the payload goes as it is). */
  private static byte[] frame(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] f = new byte[6 + payload.length];
    f[0] = (byte) 0x81;
    f[1] = (byte) (0x80 | payload.length);
    System.arraycopy(payload, 0, f, 6, payload.length);
    return f;
  }

  /** A WebSocket on a plain socket, joined to {@code room}, then reset (RST, no close). */
  private static void joinAndReset(int port, String room) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      awaitText(in, "101");
      out.write(frame("{\"type\":\"hello\",\"id\":1}"));
      out.write(frame("{\"type\":\"join\",\"id\":2,\"room\":\"" + room + "\"}"));
      out.flush();
      awaitText(in, "joined");
      s.setSoLinger(true, 0);
    }
  }

  /** An HTTP request cut off halfway by a reset. */
  private static void resetMidRequest(int port) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.getOutputStream().write(("POST /api/rooms/x/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Length: 100\r\n\r\n{\"a\":")
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Thread.sleep(100); // the server is reading the body when the reset comes
      s.setSoLinger(true, 0);
    }
  }

  private static void awaitText(InputStream in, String text) throws Exception {
    String seen = "";
    byte[] buffer = new byte[4096];
    while (!seen.contains(text)) {
      int n = in.read(buffer);
      assertTrue(n > 0, "the server answered: " + seen);
      seen += new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void everyLineIsJsonRoomLinesNameRoomAndClientAndResetsAreNoWarnings() throws Exception {
    Path data = Files.createTempDirectory("livestate-logs");
    try (ChildServer server = ChildServer.start(data, "--log-format", "json")) {
      try (WebSocketClient writer = WebSocketClient.connect(server.ws())) {
        writer.send(Map.of("type", "hello", "id", 1, "clientId", "logger",
            "resume", "the logger's secret"));
        writer.await(n -> n.path("id").asInt() == 1);
        writer.send(Map.of("type", "join", "id", 2, "room", "logged", "create", true));
        writer.await(n -> n.path("id").asInt() == 2);
        for (int reset = 0; reset < 3; reset++) {
          joinAndReset(server.port(), "logged");
          resetMidRequest(server.port());
          for (int i = 0; i < 20; i++) {
            int id = 3 + reset * 100 + i;
            writer.send(Map.of("type", "submit", "id", id, "room", "logged", "changes",
                List.of(Map.of("localSeq", id, "baseSeq", 0, "set", Map.of("k", id)))));
            writer.await(n -> n.path("id").asInt() == id);
          }
        }
      }
      Await.until("the room's creation is logged", () -> lines(server).stream()
          .anyMatch(l -> l.path("formattedMessage").asText().equals("room created")));
      JsonNode created = lines(server).stream()
          .filter(l -> l.path("formattedMessage").asText().equals("room created")).findFirst()
          .orElseThrow();
      assertTrue(hasField(created, "room", "logged"), created.toString());
      assertTrue(hasField(created, "client", "logger"), created.toString());
      assertEquals("INFO", created.path("level").asText());
      server.close();
      for (JsonNode line : lines(server)) {
        if (line.path("formattedMessage").asText().startsWith("OPEN MODE")) {
          continue; // the one warning this server is meant to give: it runs without tokens
        }
        String level = line.path("level").asText();
        assertTrue(!level.equals("ERROR") && !level.equals("WARN"),
            "nothing went wrong but clients vanishing: " + line);
        assertTrue(line.has("timestamp") && line.has("loggerName"), line.toString());
      }
    }
  }
}
