package dev.livestate.server.http;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket as the engine's fan-out sees it: thread-safe sends of pre-encoded text, with a cap
 * on queued outbound bytes. A client too slow to read is disconnected (close code 1008) rather
 * than growing the server's memory.
 */
public final class Connection {
  /** Close code for a client dropped because it did not keep up. */
  public static final short TOO_SLOW = 1008;

  private final ServerWebSocket socket;
  private final long maxQueuedBytes;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  public Connection(ServerWebSocket socket, long maxQueuedBytes) {
    this.socket = socket;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  public ServerWebSocket socket() {
    return socket;
  }

  /**
   * Sends UTF-8 text already encoded (shared across subscribers: it is not copied). Returns false
   * when the connection is closed or was just dropped for having too much queued.
   */
  public boolean send(byte[] utf8) {
    if (closed.get()) {
      return false;
    }
    long now = queued.addAndGet(utf8.length);
    if (now > maxQueuedBytes) {
      close(TOO_SLOW, "too slow: more than " + maxQueuedBytes + " bytes queued");
      return false;
    }
    socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, utf8, true),
        ar -> queued.addAndGet(-utf8.length));
    return true;
  }

  public boolean send(String text) {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  public long queuedBytes() {
    return queued.get();
  }

  public boolean isClosed() {
    return closed.get() || socket.isClosed();
  }

  public void close(short code, String reason) {
    if (closed.compareAndSet(false, true)) {
      socket.close(code, reason.length() > 120 ? reason.substring(0, 120) : reason);
    }
  }

  /** Marks the connection closed from the socket's own close handler. */
  public void closed() {
    closed.set(true);
  }
}
