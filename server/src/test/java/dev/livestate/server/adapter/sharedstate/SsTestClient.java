package dev.livestate.server.adapter.sharedstate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A raw shared-state client over java.net.http's WebSocket, recording every message. */
final class SsTestClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final WebSocket ws;
  private final List<JsonNode> received = new ArrayList<>();
  private final AtomicInteger tunnels = new AtomicInteger();
  private volatile boolean closed;

  private SsTestClient(WebSocket ws, Listener listener) {
    this.ws = ws;
    listener.owner = this;
  }

  private static final class Listener implements WebSocket.Listener {
    SsTestClient owner;
    final StringBuilder buf = new StringBuilder();
    final List<JsonNode> early = new ArrayList<>();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      buf.append(data);
      if (last) {
        String text = buf.toString();
        buf.setLength(0);
        try {
          JsonNode n = JSON.readTree(text);
          synchronized (this) {
            if (owner == null) {
              early.add(n);
            } else {
              owner.add(n);
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException("server sent non-JSON: " + text, e);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      if (owner != null) {
        owner.closed = true;
      }
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      if (owner != null) {
        owner.closed = true;
      }
    }
  }

  static SsTestClient connect(int port) throws Exception {
    return connect(port, "/sharedstate");
  }

  static SsTestClient connect(int port, String path) throws Exception {
    Listener l = new Listener();
    WebSocket ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + path), l).get(10, TimeUnit.SECONDS);
    SsTestClient c = new SsTestClient(ws, l);
    synchronized (l) {
      l.early.forEach(c::add);
    }
    return c;
  }

  private synchronized void add(JsonNode n) {
    received.add(n);
    notifyAll();
  }

  boolean isClosed() {
    return closed;
  }

  void sendText(String text) {
    ws.sendText(text, true).join();
  }

  /** Sends a request and returns its reply. */
  JsonNode request(String cmd, String path, Object arg) throws Exception {
    int tunnel = tunnels.incrementAndGet() + 1000;
    ObjectNode msg = JSON.createObjectNode();
    msg.put("type", "REQUEST");
    msg.put("cmd", cmd);
    msg.put("path", path);
    if (arg != null) {
      msg.set("arg", JSON.valueToTree(arg));
    }
    msg.put("tunnel", tunnel);
    sendText(JSON.writeValueAsString(msg));
    return await(n -> "REPLY".equals(n.path("type").asText()) && n.path("tunnel").asInt() == tunnel);
  }

  JsonNode get(String path) throws Exception {
    return request("GET", path, null);
  }

  JsonNode put(String path, Object arg) throws Exception {
    return request("PUT", path, arg);
  }

  /** Subscribes to exactly these paths; returns the reply once each reset notification came. */
  JsonNode subscribe(String... paths) throws Exception {
    List<List<Object>> insert = new ArrayList<>();
    for (String p : paths) {
      insert.add(List.of(p, java.util.Map.of()));
    }
    int before = notifications().size();
    JsonNode reply = put("/subs", java.util.Map.of("insert", insert));
    for (String p : paths) {
      awaitFrom(before, n -> isNotify(n, p) && n.path("data").path("reset").asBoolean());
    }
    return reply;
  }

  static boolean isNotify(JsonNode n, String path) {
    return "MESSAGE".equals(n.path("type").asText()) && "NOTIFY".equals(n.path("cmd").asText())
        && path.equals(n.path("path").asText());
  }

  synchronized List<JsonNode> received() {
    return new ArrayList<>(received);
  }

  synchronized List<JsonNode> notifications() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : received) {
      if ("MESSAGE".equals(n.path("type").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  /** The first message matching, waiting up to 10 s. */
  JsonNode await(Predicate<JsonNode> p) throws InterruptedException {
    return awaitAfter(-1, p, 10_000);
  }

  /** The first notification at index >= from matching. */
  JsonNode awaitFrom(int from, Predicate<JsonNode> p) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    synchronized (this) {
      for (;;) {
        List<JsonNode> ns = notifications();
        for (int i = Math.max(0, from); i < ns.size(); i++) {
          if (p.test(ns.get(i))) {
            return ns.get(i);
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("timed out; notifications: " + ns);
        }
        wait(left);
      }
    }
  }

  private synchronized JsonNode awaitAfter(int from, Predicate<JsonNode> p, long timeoutMs)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    for (;;) {
      for (int i = Math.max(0, from); i < received.size(); i++) {
        if (p.test(received.get(i))) {
          return received.get(i);
        }
      }
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new AssertionError("timed out; received: " + received);
      }
      wait(left);
    }
  }

  @Override
  public void close() {
    try {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      ws.abort();
    }
  }

  static CompletableFuture<Void> none() {
    return CompletableFuture.completedFuture(null);
  }
}
