package dev.livestate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) that records every JSON message it receives. */
public final class WsClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final WebSocket socket;
  private final List<JsonNode> received = new ArrayList<>();
  /** When each message arrived, by {@link System#nanoTime} (guarded by {@code received}). */
  private final Map<JsonNode, Long> arrivals = new IdentityHashMap<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private int cursor;

  private WsClient(String url) throws Exception {
    this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create(url), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              String text = partial.toString();
              partial.setLength(0);
              try {
                JsonNode node = JSON.readTree(text);
                synchronized (received) {
                  received.add(node);
                  arrivals.put(node, System.nanoTime());
                  received.notifyAll();
                }
              } catch (Exception e) {
                throw new IllegalStateException("server sent invalid JSON: " + text, e);
              }
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete(code);
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
          }
        }).get(10, TimeUnit.SECONDS);
  }

  public static WsClient connect(String url) throws Exception {
    return new WsClient(url);
  }

  public WsClient send(String text) {
    socket.sendText(text, true).join();
    return this;
  }

  public WsClient send(Object message) {
    try {
      return send(JSON.writeValueAsString(message));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits for the next not-yet-taken message matching {@code test} and takes it. */
  public JsonNode await(Predicate<JsonNode> test) {
    return await(test, 10_000);
  }

  public JsonNode await(Predicate<JsonNode> test, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    synchronized (received) {
      for (;;) {
        for (int i = cursor; i < received.size(); i++) {
          JsonNode n = received.get(i);
          if (n != null && test.test(n)) {
            received.set(i, null);
            return n;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("timed out; received: " + all());
        }
        try {
          received.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  /** When {@code message} arrived, by {@link System#nanoTime}. */
  public long arrivedAt(JsonNode message) {
    synchronized (received) {
      return arrivals.get(message);
    }
  }

  /** Takes the next message of that type. */
  public JsonNode awaitType(String type) {
    return await(n -> type.equals(n.path("type").asText()));
  }

  /** Every message received and not yet taken, in order. */
  public List<JsonNode> all() {
    synchronized (received) {
      return received.stream().filter(n -> n != null).toList();
    }
  }

  /** The close code once the server closes the connection. */
  public int awaitClose(long timeoutMillis) throws Exception {
    return closed.get(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public boolean isOpen() {
    return !closed.isDone();
  }

  public WebSocket socket() {
    return socket;
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.abort();
    }
  }
}
