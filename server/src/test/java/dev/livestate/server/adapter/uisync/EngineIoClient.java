package dev.livestate.server.adapter.uisync;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A websocket-only Engine.IO 4 client at the frame level (the JDK's WebSocket), so a test can
 * send frames of an exact size or shape and see the close code. It answers the server's pings
 * ({@code 2} → {@code 3}) unless told to play dead.
 */
final class EngineIoClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final WebSocket socket;
  private final List<String> frames = new ArrayList<>();
  private final List<Long> pingsAt = new ArrayList<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private final long openedAt;
  private volatile String handshake;
  private volatile long closedAt;
  private int cursor;
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

  private EngineIoClient(int port, boolean answerPings) throws Exception {
    socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(
        URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"),
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              String frame = partial.toString();
              partial.setLength(0);
              if (frame.equals("2")) {
                synchronized (frames) {
                  pingsAt.add(System.nanoTime());
                }
                if (answerPings) {
                  queue(ws, "3");
                }
              }
              synchronized (frames) {
                frames.add(frame);
                frames.notifyAll();
              }
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closedAt = System.nanoTime();
            closed.complete(code);
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            closedAt = System.nanoTime();
            closed.complete(-1);
          }
        }).get(10, TimeUnit.SECONDS);
    openedAt = System.nanoTime();
  }

  /** Opens the WebSocket and completes the Socket.IO connect (through confirm_connect). */
  static EngineIoClient connect(int port, boolean answerPings) throws Exception {
    EngineIoClient c = new EngineIoClient(port, answerPings);
    c.handshake = c.next(f -> f.startsWith("0{"));
    c.send("40");
    c.next(f -> f.startsWith("40{"));
    c.next(f -> f.startsWith("42[\"confirm_connect\""));
    return c;
  }

  static EngineIoClient connect(int port) throws Exception {
    return connect(port, true);
  }

  EngineIoClient send(String frame) throws Exception {
    queue(socket, frame).get(10, TimeUnit.SECONDS);
    return this;
  }

  /** The JDK's WebSocket takes one send at a time: pongs and the test's frames queue up. */
  private synchronized CompletableFuture<?> queue(WebSocket ws, String frame) {
    sending = sending.exceptionally(e -> null).thenCompose(v -> ws.sendText(frame, true));
    return sending;
  }

  /** The Engine.IO open packet ({@code 0{...}}) the server sent first. */
  String handshake() {
    return handshake;
  }

  /** Waits for and takes the next not yet taken frame matching {@code test}. */
  String next(Predicate<String> test) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    synchronized (frames) {
      for (;;) {
        for (int i = cursor; i < frames.size(); i++) {
          String f = frames.get(i);
          if (f != null && test.test(f)) {
            frames.set(i, null);
            return f;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("no such frame within 10 s; received " + frames
              + (closed.isDone() ? ", closed with " + closed.getNow(0) : ""));
        }
        frames.wait(left);
      }
    }
  }

  /** Sends {@code my_ping} and waits for its {@code my_pong}: the connection still works. */
  void roundTrip() throws Exception {
    send("42[\"my_ping\"]");
    next(f -> f.equals("42[\"my_pong\"]"));
  }

  /** When each ping arrived, by {@link System#nanoTime}. */
  List<Long> pingsAt() {
    synchronized (frames) {
      return List.copyOf(pingsAt);
    }
  }

  /** The close code the server sent, waiting at most {@code timeoutMillis}. */
  int awaitClose(long timeoutMillis) throws Exception {
    return closed.get(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  boolean isOpen() {
    return !closed.isDone();
  }

  long openedAt() {
    return openedAt;
  }

  long closedAt() {
    return closedAt;
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.abort();
    }
  }
}
