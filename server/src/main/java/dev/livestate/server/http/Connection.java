package dev.livestate.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket as the engine's fan-out sees it: thread-safe sends of pre-encoded text, with a cap
 * on queued outbound bytes. A client too slow to read is disconnected rather than growing the
 * server's memory.
 *
 * <p>Sends from room lanes go into one queue per event loop ({@link Flusher}), which the loop
 * drains in one go: every queued frame is written, then each connection written to is flushed
 * once, so a broadcast costs each loop one wake-up and each socket one write. With a write delay,
 * a socket flushed less than that long ago waits for the rest of it, gathering what else comes.
 */
public final class Connection {
  /** Close code for a client dropped because it did not keep up. */
  public static final short TOO_SLOW = 1008;
  /** Close code for a message over the size limit. */
  public static final short MESSAGE_TOO_BIG = 1009;

  private final ServerWebSocket socket;
  private final Channel channel;
  private final Flusher flusher;
  private final long maxQueuedBytes;
  private final boolean plainFrames;
  /** Bytes handed to Vert.x and not yet written, when writing through it (no channel). */
  private final AtomicLong queued = new AtomicLong();
  /** At most one socket write per this interval (see {@link Flusher}). */
  final long writeDelayNanos;
  /** Written since the event loop's last flush (event loop only). */
  boolean unflushed;
  /** Written a frame that must not wait since the last flush: flush now (event loop only). */
  boolean urgent;
  /** Written but held back by the write delay (event loop only). */
  boolean held;
  /** When the socket was last flushed, by {@link System#nanoTime} (event loop only). */
  long flushedAt;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Runnable onDrop;

  /**
   * @param transport the HTTP connection the socket was upgraded from ({@code
   *     request.connection()} before {@code toWebSocket()}): gives direct, batched writes and lets
   *     a slow client be cut off at once instead of after a close handshake it would never read
   */
  public Connection(ServerWebSocket socket, HttpConnection transport, Limits limits) {
    this.socket = socket;
    this.channel = transport instanceof ConnectionBase base ? base.channel() : null;
    this.flusher = channel == null ? null : Flusher.of(channel.eventLoop());
    this.plainFrames = channel != null && !hasExtensions(channel);
    this.maxQueuedBytes = limits.maxQueuedBytes();
    this.writeDelayNanos = limits.writeDelayNanos();
    this.flushedAt = System.nanoTime() - writeDelayNanos;
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
   * A per-message extension (permessage-deflate) transforms each frame for its connection, so
   * such a connection cannot take a frame encoded for everyone.
   */
  private static boolean hasExtensions(Channel channel) {
    for (Map.Entry<String, ChannelHandler> handler : channel.pipeline()) {
      if (handler.getValue() instanceof WebSocketExtensionEncoder) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sends a message (shared across subscribers: it is not copied); thread-safe. Returns false
   * when the connection is already closed. A client that lets more than the cap pile up unread
   * is dropped when the frame reaches its socket. A shared frame (a broadcast) may wait out the
   * write delay; any other is written at once.
   */
  public boolean send(Frame frame) {
    return send(frame, !frame.isShared());
  }

  /**
   * Sends a broadcast without the write delay: for one the client is waiting on, such as the
   * echo of its own change, which must not trail the reply to that change.
   */
  public boolean sendNow(Frame frame) {
    return send(frame, true);
  }

  private boolean send(Frame frame, boolean now) {
    if (closed.get()) {
      return false;
    }
    if (channel != null) {
      flusher.enqueue(this, frame, now);
      return true;
    }
    int size = frame.size();
    if (queued.addAndGet(size) > maxQueuedBytes) {
      drop();
      return false;
    }
    socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, frame.payload(), true),
        ar -> queued.addAndGet(-size));
    return true;
  }

  /** Sends UTF-8 text for this connection alone. */
  public boolean send(byte[] utf8) {
    return send(Frame.single(utf8));
  }

  public boolean send(String text) {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * On the event loop: puts a frame in the socket's buffer, unflushed. False when the connection
   * is closed, or is dropped now because its client has not read what was already sent.
   */
  boolean write(Frame frame) {
    if (closed.get()) {
      return false;
    }
    ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
    if (unsent == null || unsent.totalPendingWriteBytes() + frame.size() > maxQueuedBytes) {
      drop();
      return false;
    }
    ByteBuf wire = plainFrames ? frame.wire() : null;
    // a ready-made frame passes the WebSocket encoder untouched; the rest is encoded here
    Object message = wire != null ? wire
        : new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.payload()));
    channel.write(message, channel.voidPromise());
    return true;
  }

  /** On the event loop: hands what {@link #write} buffered to the socket. */
  void flush() {
    channel.flush();
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
  }
}
