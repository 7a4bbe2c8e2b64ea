package dev.livestate.server;

import dev.livestate.server.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The real server on a free port, with real HTTP and WebSocket clients. */
public final class HttpTestServer implements AutoCloseable {
  public static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public final LivestateServer server;
  public final String base;

  public HttpTestServer(Path dataDir, Map<String, String> settings) throws Exception {
    Map<String, String> all = new HashMap<>(settings);
    all.put("port", "0");
    all.put("data-dir", dataDir.toString());
    all.putIfAbsent("store.sync", "normal");
    server = LivestateServer.start(Settings.of(LivestateServer.allSettings(), all));
    base = "http://127.0.0.1:" + server.port();
  }

  public HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET()
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A WebSocket whose text messages queue up for the test. */
  public Socket socket(String path) throws Exception {
    Socket s = new Socket();
    s.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create(base.replace("http:", "ws:") + path), s).get(10, TimeUnit.SECONDS);
    return s;
  }

  public static final class Socket implements WebSocket.Listener {
    public final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<Long> receivedAt = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    public WebSocket ws;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        receivedAt.add(System.nanoTime());
        received.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }

    public void send(String text) throws Exception {
      ws.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    public String next() throws InterruptedException {
      String m = received.poll(5, TimeUnit.SECONDS);
      if (m == null) {
        throw new AssertionError("no message within 5 s");
      }
      return m;
    }

    public void close() {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
  }

  /** Polls until the condition holds, failing after 10 s. */
  public static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  public static List<String> headerValues(HttpResponse<?> r, String name) {
    return r.headers().allValues(name);
  }

  @Override
  public void close() {
    server.close();
  }
}
