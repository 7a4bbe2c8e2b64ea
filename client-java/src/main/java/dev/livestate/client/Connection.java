package dev.livestate.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One WebSocket to the server on the JDK's client. Whole text messages go to {@code onText}, and
 * the end of the connection, whatever ended it, to {@code onGone} once; both run on the client's
 * lane. The JDK allows one send at a time, so sends are chained in order.
 */
final class Connection implements WebSocket.Listener {
  private final Executor lane;
  private final Consumer<String> onText;
  private final Runnable onGone;
  private final AtomicBoolean gone = new AtomicBoolean();
  private final StringBuilder partial = new StringBuilder();
  /** The last send; the next waits for it. Touched on the lane only. */
  private CompletableFuture<WebSocket> sending;

  private Connection(Executor lane, Consumer<String> onText, Runnable onGone) {
    this.lane = lane;
    this.onText = onText;
    this.onGone = onGone;
  }

  /** Opens a connection; the future completes on the lane. */
  static CompletableFuture<Connection> open(HttpClient http, URI uri, Executor lane,
      Consumer<String> onText, Runnable onGone) {
    Connection c = new Connection(lane, onText, onGone);
    return http.newWebSocketBuilder().buildAsync(uri, c)
        .thenApplyAsync(ws -> {
          c.sending = CompletableFuture.completedFuture(ws);
          return c;
        }, lane);
  }

  /** Sends {@code text} after everything sent before it. Call on the lane. */
  void send(String text) {
    sending = sending.thenCompose(ws -> ws.sendText(text, true));
    sending.whenComplete((ws, failure) -> {
      if (failure != null) {
        ended();
      }
    });
  }

  /** Drops the connection at once, without a closing handshake; {@code onGone} follows. */
  void abort() {
    sending.thenAccept(WebSocket::abort);
    ended();
  }

  /** Closes the connection; {@code onGone} follows. */
  void close() {
    sending.thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
        .whenComplete((ws, failure) -> {
          if (ws != null) {
            ws.abort();
          }
          ended();
        });
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      run(() -> onText.accept(text));
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    ws.abort();
    ended();
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    ended();
  }

  private void ended() {
    if (gone.compareAndSet(false, true)) {
      run(onGone);
    }
  }

  /** Runs {@code work} on the lane, unless the client is closed and its lane with it. */
  private void run(Runnable work) {
    try {
      lane.execute(work);
    } catch (RejectedExecutionException closed) {
      // nobody listens any more
    }
  }
}
