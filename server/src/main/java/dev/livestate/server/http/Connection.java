package dev.livestate.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket as the engine's fan-out sees it: thread-safe sends of pre-encoded text, with a cap
 * on queued outbound bytes. A client too slow to read is disconnected rather than growing the
 * server's memory.
 *
 * <p>Sends from room lanes go into an outbox that the connection's event loop drains in one go:
 * every queued frame is written, then flushed once, so a burst costs one wake-up and one socket
 * write rather than one of each per message.
 */
public final class Connection {
  /** Close code for a client dropped because it did not keep up. */
  public static final short TOO_SLOW = 1008;
  /** Close code for a message over the size limit. */
  public static final short MESSAGE_TOO_BIG = 1009;

  private final ServerWebSocket socket;
  private final Channel channel;
  private final long maxQueuedBytes;
  private final ConcurrentLinkedQueue<byte[]> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Runnable onDrop;

  public Connection(ServerWebSocket socket, long maxQueuedBytes) {
    this(socket, null, maxQueuedBytes);
  }

  /**
   * @param transport the HTTP connection the socket was upgraded from ({@code
   *     request.connection()} before {@code toWebSocket()}): gives direct, batched writes and lets
   *     a slow client be cut off at once instead of after a close handshake it would never read
   */
  public Connection(ServerWebSocket socket, HttpConnection transport, long maxQueuedBytes) {
    this.socket = socket;
    this.channel = transport instanceof ConnectionBase base ? base.channel() : null;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /**
   * What to do when the client is dropped for being too slow: leave its rooms at once, rather
   * than when the TCP close is finally noticed.
   */
  public void onDrop(Runnable listener) {
    this.onDrop = listener;
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
    long pending = queued.addAndGet(utf8.length) + socketBacklog();
    if (pending > maxQueuedBytes) {
      drop();
      return false;
    }
    if (channel == null) {
      socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, utf8, true),
          ar -> queued.addAndGet(-utf8.length));
      return true;
    }
    outbox.offer(utf8);
    if (flushScheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(this::flush);
    }
    return true;
  }

  public boolean send(String text) {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  /** On the event loop: writes everything queued, then one flush. */
  private void flush() {
    flushScheduled.set(false);
    boolean wrote = false;
    byte[] next;
    while ((next = outbox.poll()) != null) {
      queued.addAndGet(-next.length);
      channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(next)), channel.voidPromise());
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  /** Bytes written to the channel that the socket has not taken yet. */
  private long socketBacklog() {
    if (channel == null) {
      return 0;
    }
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  public long queuedBytes() {
    return queued.get() + socketBacklog();
  }

  public boolean isClosed() {
    return closed.get() || socket.isClosed();
  }

  public void close(short code, String reason) {
    if (closed.compareAndSet(false, true)) {
      socket.close(code, reason.length() > 120 ? reason.substring(0, 120) : reason);
    }
  }

  /**
   * Cuts off a client that does not read: its queue will not drain, so neither would a close
   * frame. The TCP connection is closed at once when known; otherwise a close is attempted.
   */
  private void drop() {
    if (closed.compareAndSet(false, true)) {
      Runnable listener = onDrop;
      if (listener != null) {
        listener.run();
      }
      outbox.clear();
      if (channel != null) {
        // Vert.x's own close would wait for the close handshake behind the full queue
        channel.close();
      } else {
        socket.close(TOO_SLOW, "too slow: more than " + maxQueuedBytes + " bytes queued");
      }
    }
  }

  /**
   * For the socket's exception handler. A frame over the size limit (or otherwise corrupt) leaves
   * the decoder unable to read further frames, so the connection is closed with the status the
   * decoder chose (1009 for too big) and a reason saying why; other errors close it as 1011.
   */
  public void failed(Throwable error) {
    if (error instanceof CorruptedWebSocketFrameException corrupt) {
      close((short) corrupt.closeStatus().code(), String.valueOf(corrupt.getMessage()));
    } else if (String.valueOf(error.getMessage()).contains("max message size")) {
      // Vert.x reports a fragmented message that outgrew the limit this way
      close(MESSAGE_TOO_BIG, "message too big: the limit is set by limits.max-message");
    } else if (!isClosed()) {
      close((short) 1011, "internal error");
    }
  }

  /** Marks the connection closed from the socket's own close handler. */
  public void closed() {
    closed.set(true);
    outbox.clear();
  }
}
