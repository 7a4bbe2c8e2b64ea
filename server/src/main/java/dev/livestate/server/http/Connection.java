package dev.livestate.server.http;

import dev.livestate.protocol.CloseReason;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket as the engine's fan-out sees it: thread-safe sends of pre-encoded text, with a cap
 * on queued outbound bytes. A client too slow to read is disconnected rather than growing the
 * server's memory.
 *
 * <p>Sends from room lanes go into one queue per event loop ({@link Flusher}), which the loop
 * drains in one go: every queued frame goes to its socket's {@link Outbox}, then each socket
 * written to gets its frames in one send, so a broadcast costs each loop one wake-up and each
 * socket one system call. With a write delay, a socket written less than that long ago waits
 * for the rest of it, gathering what else comes.
 */
public final class Connection {
  private static final VarHandle CLOSED;
  private static final AtomicLong NUMBERS = new AtomicLong();

  static {
    try {
      CLOSED = MethodHandles.lookup().findVarHandle(Connection.class, "closed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long number = newNumber();
  private final ServerWebSocket socket;
  private final RemoteClient client;
  private final Channel channel;
  private final Flusher flusher;
  /** What the event loop has gathered for this socket; null when writing through Vert.x. */
  private final Outbox outbox;
  private final long maxQueuedBytes;
  /** Bytes handed to Vert.x and not yet written, when writing through it (no channel). */
  private final AtomicLong queued;
  /** Set once, by {@link #close}, {@link #drop} or {@link #closed()}. */
  private volatile boolean closed;
  /** Why the server closed it; null while open or when the client closed it. */
  private volatile CloseReason closedAs;
  private volatile Runnable onDrop;
  /** The timer of {@link #expireAfter} and its Vert.x, if one is set. */
  private volatile Vertx timers;
  private volatile long expiry = -1;

  /**
   * @param transport the HTTP connection the socket was upgraded from ({@code
   *     request.connection()} before {@code toWebSocket()}): gives direct, batched writes and lets
   *     a slow client be cut off at once instead of after a close handshake it would never read
   * @param client who the socket's upgrade request came from ({@link ClientAddresses})
   */
  public Connection(ServerWebSocket socket, HttpConnection transport, RemoteClient client,
      Limits limits) {
    this.socket = socket;
    this.client = client;
    this.channel = TransportInternals.channel(transport);
    this.flusher = channel == null ? null : Flusher.of(channel.eventLoop());
    this.outbox = channel == null ? null
        : new Outbox(this, channel, !rewritesFrames(channel), limits);
    this.queued = channel == null ? new AtomicLong() : null;
    this.maxQueuedBytes = limits.maxQueuedBytes();
  }

  /**
   * What to do when the client is dropped for being too slow: leave its rooms at once, rather
   * than when the TCP close is finally noticed.
   */
  public void onDrop(Runnable listener) {
    this.onDrop = listener;
  }

  /**
   * Closes the connection as {@link CloseReason#TOKEN_EXPIRED} once {@code millisLeft} have
   * passed, when its client's token expires; the timer goes if the connection closes first.
   * Negative: never.
   */
  public void expireAfter(Vertx vertx, long millisLeft) {
    if (millisLeft < 0) {
      return;
    }
    timers = vertx;
    expiry = vertx.setTimer(millisLeft,
        t -> close(CloseReason.TOKEN_EXPIRED, "token expired: connect again with a fresh one"));
  }

  /**
   * A number for a client connection that no other connection of this process has (a socket of
   * any surface, or a UI sync session before it has one): the engine tells apart two
   * connections of one client by it.
   */
  public static long newNumber() {
    return NUMBERS.incrementAndGet();
  }

  /** This connection's number (see {@link #newNumber}). */
  public long number() {
    return number;
  }

  public ServerWebSocket socket() {
    return socket;
  }

  /** The client's IP address (forwarded by a trusted proxy, when it came through one). */
  public String address() {
    return client.address();
  }

  /** Who the client is, for logs: its address and the proxy it came through. */
  public RemoteClient client() {
    return client;
  }

  /**
   * A per-message extension (permessage-deflate) transforms each frame for its connection, and
   * TLS each byte, so such a connection can neither take a frame encoded for everyone nor skip
   * its pipeline.
   */
  private static boolean rewritesFrames(Channel channel) {
    for (Map.Entry<String, ChannelHandler> handler : channel.pipeline()) {
      if (handler.getValue() instanceof WebSocketExtensionEncoder
          || handler.getValue() instanceof SslHandler) {
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
    if (closed) {
      return false;
    }
    if (outbox != null) {
      flusher.enqueue(outbox, frame, now);
      return true;
    }
    int size = frame.size();
    if (queued.addAndGet(size) > maxQueuedBytes) {
      drop();
      return false;
    }
    socket.writeFrame(TransportInternals.textFrame(frame.payload()),
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
   * Stops reading the client's messages for {@code nanos} (at least a millisecond): what it
   * sends meanwhile waits in TCP buffers, and a client that keeps sending is slowed down by
   * them. Call on the connection's event loop (where its messages arrive).
   */
  public void pauseReading(long nanos) {
    holdReading(nanos, () -> { });
  }

  /**
   * Stops reading for {@code nanos} as {@link #pauseReading} does, then runs {@code then} on the
   * event loop before the next message is read: a request held back until the client may make
   * it, with nothing it sent later overtaking it.
   */
  public void holdReading(long nanos, Runnable then) {
    Context context = Vertx.currentContext();
    if (context == null || isClosed()) {
      return;
    }
    socket.pause();
    context.owner().setTimer(Math.max(1, nanos / 1_000_000), t -> {
      if (isClosed()) {
        return;
      }
      try {
        then.run();
      } finally {
        socket.resume();
      }
    });
  }

  /** The most this connection may have queued before it is dropped as too slow. */
  public long maxQueuedBytes() {
    return maxQueuedBytes;
  }

  /**
   * Runs {@code task} on the connection's event loop once the bytes it has queued and not yet
   * sent, every message sent before this call included, are at most {@code bytes}; never, if the
   * connection closes first. For a sender that paces a long reply by what the client reads.
   * Without direct access to the socket it runs at once.
   */
  public void whenUnsentAtMost(long bytes, Runnable task) {
    if (outbox == null) {
      task.run();
      return;
    }
    // queued behind the Flusher's task for what was sent before, so the backlog counts it
    channel.eventLoop().execute(() -> runWhenUnsentAtMost(bytes, task));
  }

  private void runWhenUnsentAtMost(long bytes, Runnable task) {
    if (isClosed()) {
      return;
    }
    if (outbox.backlog() <= bytes) {
      task.run();
    } else {
      channel.eventLoop().schedule(() -> runWhenUnsentAtMost(bytes, task), 2,
          java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  /** Whether the connection is closed or closing: sends are refused. */
  boolean isClosing() {
    return closed;
  }

  public boolean isClosed() {
    return closed || socket.isClosed();
  }

  /** Closes with {@code reason}'s code; {@code detail} (cut to 120 characters) says more. */
  public void close(CloseReason reason, String detail) {
    close(reason.code(), detail);
  }

  private void close(short code, String reason) {
    if (CLOSED.compareAndSet(this, false, true)) {
      closedAs = CloseReason.of(code);
      String shortened = reason.length() > 120 ? reason.substring(0, 120) : reason;
      if (outbox == null) {
        socket.close(code, shortened);
      } else {
        // frames gathered for this socket leave ahead of the close frame
        channel.eventLoop().execute(() -> {
          outbox.flush(System.nanoTime());
          socket.close(code, shortened);
        });
      }
    }
  }

  /**
   * Cuts off a client that does not read: its queue will not drain, so neither would a close
   * frame. The TCP connection is closed at once when known; otherwise a close is attempted.
   */
  void drop() {
    if (CLOSED.compareAndSet(this, false, true)) {
      closedAs = CloseReason.TOO_SLOW;
      Runnable listener = onDrop;
      if (listener != null) {
        listener.run();
      }
      if (channel != null) {
        // channel.close() would reach Vert.x's handler, which sends a close frame (1000) behind
        // the full queue and waits for an answer that never comes: reset the connection instead
        if (channel.eventLoop().inEventLoop()) {
          TransportInternals.reset(channel);
        } else {
          channel.eventLoop().execute(() -> TransportInternals.reset(channel));
        }
      } else {
        socket.close(CloseReason.TOO_SLOW.code(),
            "too slow: more than " + maxQueuedBytes + " bytes queued");
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
      CloseReason why = CloseReason.of(corrupt.closeStatus().code());
      close(why != null ? why : CloseReason.PROTOCOL_ERROR, String.valueOf(corrupt.getMessage()));
    } else if (String.valueOf(error.getMessage()).contains("max message size")) {
      // Vert.x reports a fragmented message that outgrew the limit this way
      close(CloseReason.MESSAGE_TOO_BIG, "message too big: the limit is set by limits.max-message");
    } else if (!isClosed()) {
      close(CloseReason.SERVER_ERROR, "internal error");
    }
  }

  /**
   * Why the connection ended, as a {@link CloseReason}'s name: the reason the server closed it
   * with, or {@code CLIENT} when the client closed it or went away.
   */
  public String closeReason() {
    CloseReason why = closedAs;
    return why == null ? "CLIENT" : why.name();
  }

  /** Marks the connection closed from the socket's own close handler. */
  public void closed() {
    closed = true;
    if (expiry >= 0) {
      timers.cancelTimer(expiry);
    }
  }
}
