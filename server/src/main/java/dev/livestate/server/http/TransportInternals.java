package dev.livestate.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.internal.PlatformDependent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Queue;

/**
 * Everything the write path takes from Vert.x and Netty beyond their public APIs, in one place:
 * the Netty channel under a Vert.x connection, writes and flushes that skip the pipeline, the
 * socket's count of unsent bytes, a reset, and Netty's multi-producer queue. Each is pinned to the
 * Vert.x version in use by {@code TransportInternalsTest}: upgrading Vert.x means running it and
 * rechecking what it says.
 */
final class TransportInternals {
  /** The Vert.x these internals were checked against (vertx-core's META-INF/vertx/vertx-version.txt). */
  static final String CHECKED_WITH = "4.5.32";

  /** The names Vert.x gives its HTTP/1 decoder and its own handler in a connection's pipeline. */
  private static final String HTTP1_DECODER = "httpDecoder";
  private static final String VERTX_HANDLER = "handler";

  private TransportInternals() {}

  /** The Netty channel of a connection Vert.x served, or null when it has none we can reach. */
  static Channel channel(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channel() : null;
  }

  /**
   * Runs {@code closed} once the TCP connection under {@code connection} is closed, whatever
   * it became meanwhile: the close handler of an HTTP connection upgraded to a WebSocket is no
   * longer called, the channel's close future always is.
   */
  static void onClosed(HttpConnection connection, Runnable closed) {
    Channel channel = channel(connection);
    if (channel != null) {
      channel.closeFuture().addListener(f -> closed.run());
    } else {
      connection.closeHandler(v -> closed.run());
    }
  }

  /**
   * Adds {@code handler} to an HTTP/1 connection's pipeline just before Vert.x's own handler
   * (after the HTTP codec, so it sees decoded requests and responses not yet encoded); a
   * connection of another protocol (h2c) is left as it is.
   */
  static void beforeVertx(HttpConnection connection, ChannelHandler handler) {
    Channel channel = channel(connection);
    if (channel != null && channel.pipeline().get(HTTP1_DECODER) != null
        && channel.pipeline().get(VERTX_HANDLER) != null) {
      channel.pipeline().addBefore(VERTX_HANDLER, null, handler);
    }
  }

  /** A final text frame of these bytes, which Vert.x writes without copying them again. */
  static WebSocketFrame textFrame(byte[] payload) {
    return new WebSocketFrameImpl(WebSocketFrameType.TEXT, payload, true);
  }

  /** Bytes written to the socket and not yet sent; null once the channel is closed. */
  static ChannelOutboundBuffer unsent(Channel channel) {
    return channel.unsafe().outboundBuffer();
  }

  /**
   * Writes ready-made wire bytes into the socket's buffer past every handler. Only on the
   * channel's event loop, where everything written earlier has already passed the handlers.
   */
  static void writePastPipeline(Channel channel, ByteBuf wire) {
    channel.unsafe().write(wire, channel.voidPromise());
  }

  /** Flushes the socket's buffer past every handler (event loop only). */
  static void flushPastPipeline(Channel channel) {
    channel.unsafe().flush();
  }

  /**
   * Closes the TCP connection at once with a reset, discarding what is unsent: for a client that
   * stopped reading, whose socket would never drain a close frame.
   */
  static void reset(Channel channel) {
    channel.config().setOption(ChannelOption.SO_LINGER, 0);
    channel.unsafe().close(channel.voidPromise());
  }

  /** A lock-free queue for many producer threads and one consumer. */
  static <T> Queue<T> multiProducerQueue() {
    return PlatformDependent.newMpscQueue();
  }
}
