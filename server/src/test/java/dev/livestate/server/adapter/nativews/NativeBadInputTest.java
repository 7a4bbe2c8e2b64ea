package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input gets the documented error, the connection keeps working where the protocol allows,
 * and a bystander in the same room never notices.
 */
class NativeBadInputTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("limits.max-queued", "256k"));

  static Stream<Arguments> badRequests() {
    String deep = "[".repeat(1000) + "]".repeat(1000);
    return Stream.of(
        Arguments.of("invalid JSON", "{\"type\":\"ping\",", "invalid_json"),
        Arguments.of("not an object", "[1,2,3]", "bad_request"),
        Arguments.of("unknown message type", "{\"type\":\"teleport\",\"id\":1}", "unknown_type"),
        Arguments.of("missing type", "{\"id\":1}", "bad_request"),
        Arguments.of("missing room", "{\"type\":\"join\",\"id\":1}", "bad_request"),
        Arguments.of("mistyped room", "{\"type\":\"join\",\"id\":1,\"room\":42}", "bad_request"),
        Arguments.of("mistyped seq", "{\"type\":\"submit\",\"id\":1,\"room\":\"bad\",\"changes\":"
            + "[{\"localSeq\":\"one\",\"baseSeq\":0,\"set\":{}}]}", "bad_request"),
        Arguments.of("set and reset", "{\"type\":\"submit\",\"id\":1,\"room\":\"bad\",\"changes\":"
            + "[{\"localSeq\":1,\"baseSeq\":0,\"set\":{},\"reset\":{}}]}", "bad_request"),
        Arguments.of("1,000-deep nesting", "{\"type\":\"publish\",\"id\":1,\"room\":\"bad\",\"body\":"
            + deep + "}", "invalid_json"),
        Arguments.of("unknown room", "{\"type\":\"join\",\"id\":1,\"room\":\"nowhere\"}", "unknown_room"),
        Arguments.of("room not joined", "{\"type\":\"submit\",\"id\":1,\"room\":\"elsewhere\",\"changes\":"
            + "[{\"localSeq\":1,\"baseSeq\":0,\"set\":{\"a\":1}}]}", "not_joined"),
        Arguments.of("bad policy", "{\"type\":\"join\",\"id\":1,\"room\":\"new\",\"create\":"
            + "{\"policy\":\"loudest-wins\"}}", "bad_request"));
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("badRequests")
  void badRequestGetsItsErrorAndTheConnectionKeepsWorking(String what, String frame, String code)
      throws Exception {
    // fresh client ids each run: a reused (clientId, localSeq) would be answered as a resend
    String run = Long.toString(System.nanoTime());
    try (NativeClient bystander = NativeClient.connect(server.ws("/ws"), "bystander-" + run);
        NativeClient bad = NativeClient.connect(server.ws("/ws"), "bad-" + run)) {
      bystander.join("bad", Map.of("create", true));
      bad.join("bad", Map.of());
      bad.ws.send(frame);
      JsonNode error = bad.ws.awaitType("error");
      assertEquals(code, error.get("code").asText(), error.toString());
      assertTrue(error.get("message").asText().length() > 0);
      // the same connection still works, and so does the room for everyone else
      assertEquals("pong", bad.request(Map.of("type", "ping")).get("type").asText());
      JsonNode ack = bystander.set("bad", "still", "fine");
      assertEquals(1, ack.get("acks").size());
      bad.ws.await(n -> n.path("type").asText().equals("ops"));
    }
  }

  @Test
  void aReaderTryingToWriteIsForbidden() throws Exception {
    try (NativeClient reader = NativeClient.connect(server.ws("/ws"), "reader")) {
      reader.join("readonly", Map.of("role", "reader", "create", true));
      JsonNode result = reader.set("readonly", "x", 1);
      assertEquals(0, result.get("acks").size(), result.toString());
      assertEquals("forbidden", result.at("/rejects/0/code").asText(), result.toString());
      assertEquals(reader.localSeq, result.at("/rejects/0/localSeq").asLong());
      assertEquals(0, Http.getJson(server.http("/api/rooms/readonly")).get("seq").asLong());
    }
  }

  @Test
  void aMessageOfOneMebibyteIsAccepted() throws Exception {
    try (NativeClient w = NativeClient.connect(server.ws("/ws"), "big")) {
      w.join("big", Map.of("create", true));
      JsonNode ack = w.set("big", "blob", "x".repeat(1024 * 1024));
      assertEquals(1, ack.get("acks").size(), ack.toString());
    }
  }

  @Test
  void aTenMegabyteFrameClosesOnlyThatConnectionWithMessageTooBig() throws Exception {
    try (NativeClient bystander = NativeClient.connect(server.ws("/ws"), "calm");
        WebSocketClient flood = WebSocketClient.connect(server.ws("/ws"))) {
      bystander.join("huge", Map.of("create", true));
      flood.send("{\"type\":\"publish\",\"room\":\"huge\",\"body\":\"" + "y".repeat(10 * 1024 * 1024) + "\"}");
      assertEquals(1009, flood.awaitClose(10_000));
      assertEquals(1, bystander.set("huge", "ok", true).get("acks").size());
    }
  }

  @Test
  void aClientTooSlowToReadIsDisconnected() throws Exception {
    try (NativeClient writer = NativeClient.connect(server.ws("/ws"), "fast");
        Socket slow = new Socket("127.0.0.1", server.port())) {
      double cutBefore = slowConsumerDisconnects();
      // in memory: the test is about the socket, not about waiting for commits; the fast client
      // stays out of the room, where it too could fall a quarter MiB behind on a busy machine
      Http.send(HttpRequest.newBuilder(URI.create(server.http("/api/rooms/slow")))
          .PUT(HttpRequest.BodyPublishers.ofString("{\"durable\":false}")));
      writer.join("fast", Map.of("create", true));
      OutputStream out = slow.getOutputStream();
      out.write(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = slow.getInputStream();
      readHandshake(in); // before any frame, as real clients do
      out.write(maskedText("{\"type\":\"join\",\"room\":\"slow\",\"role\":\"reader\"}"));
      out.flush(); // from here on the client never reads
      awaitSubscribers(1);
      String chunk = "z".repeat(64 * 1024);
      // published over HTTP, so only the slow reader has anything to read
      for (int i = 0; i < 2000 && subscribers() > 0; i++) {
        server.post("/api/rooms/slow/stream", "\"" + chunk + "\"");
      }
      awaitSubscribers(0);
      slow.setSoTimeout(10_000);
      assertClosedAsTooSlow(in);
      Await.until("/metrics counts the cut", () -> slowConsumerDisconnects() == cutBefore + 1);
      assertTrue(writer.ws.isOpen(), "the fast client is unaffected");
      assertEquals(1, writer.set("fast", "still", "here").get("acks").size());
    }
  }

  private static double slowConsumerDisconnects() throws Exception {
    for (String line : server.get("/metrics").body().split("\n")) {
      if (line.startsWith("livestate_slow_consumer_disconnects_total ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    throw new AssertionError("no livestate_slow_consumer_disconnects_total in /metrics");
  }

  private static long subscribers() throws Exception {
    for (JsonNode r : Http.getJson(server.http("/api/rooms")).get("rooms")) {
      if (r.get("name").asText().equals("slow")) {
        return r.get("subscribers").asLong();
      }
    }
    return 0;
  }

  private static void awaitSubscribers(long n) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    while (subscribers() != n) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("subscribers stayed at " + subscribers() + ", expected " + n);
      }
      Thread.sleep(20);
    }
  }

  private static void readHandshake(InputStream in) throws Exception {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("the server closed during the handshake");
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  /**
   * Reads what the server had sent before it dropped the client: frames, then the end of the
   * connection (a TCP close, or a close frame that must say 1008). Fails if it stays open.
   */
  private static void assertClosedAsTooSlow(InputStream raw) throws Exception {
    java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(raw));
    try {
      for (;;) {
        int first = in.read();
        if (first < 0) {
          return; // TCP close
        }
        int len = in.readUnsignedByte() & 0x7f;
        long length = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
        if ((first & 0x0f) == 0x8) {
          assertTrue(length >= 2, "a close frame without a code");
          assertEquals(1008, in.readUnsignedShort(), "close code for a client too slow to read");
          in.skipNBytes(length - 2);
        } else {
          in.skipNBytes(length);
        }
      }
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("the slow client's connection was not closed", e);
    } catch (java.io.EOFException | java.net.SocketException e) {
      // cut off mid-frame or reset: the TCP connection is closed all the same
    }
  }

  /** A client-to-server text frame (clients must mask), for the hand-driven slow client. */
  private static byte[] maskedText(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {1, 2, 3, 4};
    byte[] frame = new byte[2 + 4 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }
}
