package dev.livestate.server.adapter.meet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client of the meet protocol that records every message it receives. */
final class MeetWsClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final java.util.Map<Long, JsonNode> sent = new java.util.concurrent.ConcurrentHashMap<>();
  private final WebSocket ws;
  private volatile boolean closed;

  MeetWsClient(int port) throws Exception {
    this("127.0.0.1", port);
  }

  MeetWsClient(String host, int port) throws Exception {
    StringBuilder partial = new StringBuilder();
    ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://" + host + ":" + port + "/meet"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              try {
                received.add(JSON.readTree(partial.toString()));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              partial.setLength(0);
            }
            w.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed = true;
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
  }

  boolean isClosed() {
    return closed;
  }

  void send(String text) {
    ws.sendText(text, true).join();
  }

  void sendBinary(byte[] bytes) {
    ws.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).join();
  }

  void send(JsonNode node) {
    if ("UPDATE_INIT".equals(node.path("msgType").asText())) {
      for (JsonNode u : node.get("updates")) {
        sent.put(u.get("localSeqNum").asLong(), u);
      }
    }
    send(node.toString());
  }

  String sentKey(long localSeq) {
    return sent.get(localSeq).get("updateKey").asText();
  }

  JsonNode sentValue(long localSeq) {
    return sent.get(localSeq).get("updateValue");
  }

  static ObjectNode msg(String type) {
    return JSON.createObjectNode().put("msgType", type);
  }

  /** The first message received (from {@code from} on) matching, waiting up to 10 s. */
  JsonNode await(int from, Predicate<JsonNode> match) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = from; i < received.size(); i++) {
        if (match.test(received.get(i))) {
          return received.get(i);
        }
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    throw new AssertionError("no matching message; received " + received);
  }

  JsonNode await(String type) {
    return await(0, m -> type.equals(m.path("msgType").asText()));
  }

  /** Sends and waits for the next message of {@code type} after the send. */
  JsonNode request(JsonNode message, String type) {
    int from = received.size();
    send(message);
    return await(from, m -> type.equals(m.path("msgType").asText()));
  }

  /** Sends and waits for the next message of any of {@code types}. */
  JsonNode requestAny(JsonNode message, String... types) {
    int from = received.size();
    send(message);
    return await(from, m -> List.of(types).contains(m.path("msgType").asText()));
  }

  List<JsonNode> all(String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode m : received) {
      if (type.equals(m.path("msgType").asText())) {
        out.add(m);
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      ws.abort();
    }
  }
}
