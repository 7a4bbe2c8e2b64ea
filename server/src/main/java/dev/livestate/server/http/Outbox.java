package dev.livestate.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.Arrays;

/**
 * The frames on their way to one socket and when it last got any: the part of a {@link
 * Connection} only its event loop touches. It is an object of its own so that the loop's writes to
 * it never share a cache line with what room lanes read on every send.
 */
final class Outbox {
  private static final Frame[] NO_FRAMES = {};
  /** Broadcasts larger than this are written as their shared bytes rather than copied. */
  private static final int COPY_LIMIT = 1024;

  final Connection connection;
  private final Channel channel;
  /** Whether frames may skip the pipeline: no extension or TLS rewrites them. */
  private final boolean plainFrames;
  private final long maxQueuedBytes;
  /** At most one socket write per this interval (see {@link Flusher}). */
  private final long writeDelayNanos;
  /** In the {@link Flusher}'s list of outboxes written to in its current drain. */
  boolean listed;
  /** Holds a frame that must not wait: flush now (set by the {@link Flusher}). */
  boolean urgent;
  /** Written to but held back by the write delay (set by the {@link Flusher}). */
  boolean held;
  /** When the socket was last flushed, by {@link System#nanoTime}. */
  private long flushedAt;
  private Frame[] frames = NO_FRAMES;
  private int count;
  /** The wire size of {@link #frames}. */
  private int bytes;

  Outbox(Connection connection, Channel channel, boolean plainFrames, Limits limits) {
    this.connection = connection;
    this.channel = channel;
    this.plainFrames = plainFrames;
    this.maxQueuedBytes = limits.maxQueuedBytes();
    this.writeDelayNanos = limits.writeDelayNanos();
    this.flushedAt = System.nanoTime() - writeDelayNanos;
  }

  /**
   * Adds a frame to those the next {@link #flush} writes. False when the connection is closed,
   * or is dropped now because its client has not read what was already sent.
   */
  boolean add(Frame frame) {
    if (connection.isClosing()) {
      return false;
    }
    ChannelOutboundBuffer unsent = TransportInternals.unsent(channel);
    if (unsent == null) {
      // the socket is closed and its close handler not yet run: gone, not slow, nothing to reset
      return false;
    }
    if (unsent.totalPendingWriteBytes() + bytes + frame.cappedSize() > maxQueuedBytes) {
      connection.drop();
      return false;
    }
    if (count == frames.length) {
      frames = Arrays.copyOf(frames, Math.max(4, count * 2));
    }
    frames[count++] = frame;
    bytes += frame.wireSize();
    return true;
  }

  /** The bytes gathered here and in the socket's buffer, not yet sent (event loop only). */
  long backlog() {
    ChannelOutboundBuffer unsent = TransportInternals.unsent(channel);
    return bytes + (unsent == null ? 0 : unsent.totalPendingWriteBytes());
  }

  /** When the socket may next be flushed for broadcasts alone, by {@link System#nanoTime}. */
  long dueAt() {
    return flushedAt + writeDelayNanos;
  }

  /**
   * Writes what {@link #add} gathered to the socket, in order, and flushes it; {@code now} (by
   * {@link System#nanoTime}) starts the next write delay. Nothing is urgent or held after it.
   */
  void flush(long now) {
    urgent = false;
    held = false;
    flushedAt = now;
    if (count > 0 && TransportInternals.unsent(channel) != null) {
      if (plainFrames) {
        writeGathered();
      } else {
        for (int i = 0; i < count; i++) {
          channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frames[i].payload())),
              channel.voidPromise());
        }
      }
    }
    Arrays.fill(frames, 0, count, null);
    count = 0;
    bytes = 0;
    if (frames.length > 64) {
      frames = NO_FRAMES; // a burst's array is not kept for the quiet after it
    }
    if (plainFrames) {
      TransportInternals.flushPastPipeline(channel);
    } else {
      channel.flush(); // TLS encrypts what it holds on flush
    }
  }

  /**
   * Copies the gathered frames into one buffer, so the socket gets them in a single send with no
   * per-frame bookkeeping. A lone or large broadcast goes as its shared bytes instead, uncopied.
   * These writes skip the pipeline: none of its handlers touches a ready-made frame, and on the
   * event loop every earlier write has already passed them into the socket's buffer.
   */
  private void writeGathered() {
    ByteBuf gathered = null;
    for (int i = 0; i < count; i++) {
      Frame frame = frames[i];
      if (frame.isShared() && (count == 1 || frame.wireSize() > COPY_LIMIT)) {
        if (gathered != null) {
          TransportInternals.writePastPipeline(channel, gathered);
          gathered = null;
        }
        TransportInternals.writePastPipeline(channel, frame.wire());
      } else {
        if (gathered == null) {
          gathered = channel.alloc().directBuffer(Math.min(bytes, 64 * 1024));
        }
        frame.writeWire(gathered);
      }
    }
    if (gathered != null) {
      TransportInternals.writePastPipeline(channel, gathered);
    }
  }
}
