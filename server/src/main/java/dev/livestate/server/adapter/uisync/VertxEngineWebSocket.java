package dev.livestate.server.adapter.uisync;

import io.socket.engineio.server.EngineIoWebSocket;
import io.socket.engineio.server.utils.ParseQS;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Vert.x WebSocket as engine.io-server's transport sees it. Writes are thread-safe and capped:
 * a client that lets more than {@code maxQueuedBytes} pile up is disconnected rather than
 * growing the server's memory. Incoming messages larger than {@code maxMessageBytes} close the
 * connection (as the Node server's maxHttpBufferSize does).
 */
final class VertxEngineWebSocket extends EngineIoWebSocket {
  private final ServerWebSocket socket;
  private final Map<String, String> query;
  private final Map<String, List<String>> headers;
  private final long maxQueuedBytes;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Outbox outbox;

  VertxEngineWebSocket(ServerWebSocket socket, Outbox outbox, long maxMessageBytes,
      long maxQueuedBytes) {
    this.socket = socket;
    this.outbox = outbox;
    this.query = ParseQS.decode(socket.query());
    // nothing here reads handshake headers (CORS is answered by the routes): keep none, they
    // would cost each idle connection a map of a dozen strings
    this.headers = Map.of();
    this.maxQueuedBytes = maxQueuedBytes;
    socket.textMessageHandler(text -> {
      if (text.length() > maxMessageBytes) {
        close((short) 1009, "message too big");
        return;
      }
      deliver(text);
    });
    socket.binaryMessageHandler(b -> {
      if (b.length() > maxMessageBytes) {
        close((short) 1009, "message too big");
        return;
      }
      deliver(b.getBytes());
    });
    socket.exceptionHandler(e -> emit("error", "websocket error", String.valueOf(e.getMessage())));
    socket.closeHandler(v -> {
      closed.set(true);
      emit("close");
    });
  }

  /**
   * Hands an incoming message to engine.io-server. A payload the library's JSON decoder cannot
   * survive (nesting deep enough to overflow its recursion) closes this connection only.
   */
  private void deliver(Object message) {
    try {
      emit("message", message);
    } catch (StackOverflowError e) {
      close((short) 1007, "message nested too deeply");
    }
  }

  @Override
  public Map<String, String> getQuery() {
    return query;
  }

  @Override
  public Map<String, List<String>> getConnectionHeaders() {
    return headers;
  }

  @Override
  public void write(String message) {
    if (closed.get()) {
      return;
    }
    int size = message.length();
    if (queued.addAndGet(size) > maxQueuedBytes) {
      close((short) 1008, "too slow: more than " + maxQueuedBytes + " bytes queued");
      return;
    }
    socket.writeFinalTextFrame(message, ar -> queued.addAndGet(-size));
  }

  @Override
  public void write(byte[] message) {
    if (closed.get()) {
      return;
    }
    int size = message.length;
    if (queued.addAndGet(size) > maxQueuedBytes) {
      close((short) 1008, "too slow");
      return;
    }
    socket.writeFinalBinaryFrame(Buffer.buffer(message), ar -> queued.addAndGet(-size));
  }

  /** Thread-safe: a pre-encoded Engine.IO text frame (shared, not copied), via the outbox. */
  void send(byte[] frame) {
    if (closed.get()) {
      return;
    }
    if (queued.addAndGet(frame.length) > maxQueuedBytes) {
      close((short) 1008, "too slow: more than " + maxQueuedBytes + " bytes queued");
      return;
    }
    outbox.add(this, frame);
  }

  /** On the socket's event loop: writes a frame queued by {@link #send(byte[])}. */
  void writeNow(byte[] frame) {
    if (closed.get()) {
      return;
    }
    socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, frame, true),
        ar -> queued.addAndGet(-frame.length));
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      socket.close();
    }
  }

  void close(short code, String reason) {
    if (closed.compareAndSet(false, true)) {
      socket.close(code, reason);
    }
  }
}
