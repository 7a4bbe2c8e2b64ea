package dev.livestate.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * A WebSocket text message encoded once for every connection it goes to. Server frames are not
 * masked, so the frame on the wire is the same bytes for every recipient: a broadcast builds it
 * once, off-heap, and each connection writes a view of it, skipping the per-connection frame
 * encoding and the copy into a socket buffer.
 */
public final class Frame {
  private static final int FIN_TEXT = 0x81;

  private final byte[] payload;
  private final ByteBuf wire;
  /** Whether the cap on queued bytes leaves this message's own size out (see {@link #whole}). */
  private final boolean passesCap;

  private Frame(byte[] payload, ByteBuf wire) {
    this(payload, wire, false);
  }

  private Frame(byte[] payload, ByteBuf wire, boolean passesCap) {
    this.payload = payload;
    this.wire = wire;
    this.passesCap = passesCap;
  }

  /**
   * A message for one connection that its protocol gives no way to cut into parts (a reply of
   * the original shared-state protocol holding a whole collection): it is queued if what waits
   * before it is within the connection's cap, whatever its own size, so a client that reads can
   * always get it; a client that does not is dropped at the next message.
   */
  public static Frame whole(byte[] utf8) {
    return new Frame(utf8, null, true);
  }

  /** A message for one connection: its frame is built when it is written. */
  public static Frame single(byte[] utf8) {
    return new Frame(utf8, null);
  }

  /** A message for many connections: the wire frame is built now and shared. */
  public static Frame shared(byte[] utf8) {
    ByteBuf wire = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(wireSize(utf8.length))).clear();
    writeWire(utf8, wire);
    // a JDK direct buffer frees its memory when collected: no reference counting across the
    // sockets (and threads) that write it, and nobody has to be the last to release it
    return new Frame(utf8, Unpooled.unreleasableBuffer(wire));
  }

  private static int wireSize(int length) {
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    return header + length;
  }

  private static void writeWire(byte[] utf8, ByteBuf out) {
    int length = utf8.length;
    out.writeByte(FIN_TEXT);
    if (length < 126) {
      out.writeByte(length);
    } else if (length <= 0xFFFF) {
      out.writeByte(126).writeShort(length);
    } else {
      out.writeByte(127).writeLong(length);
    }
    out.writeBytes(utf8);
  }

  /**
   * {@code encoder} with each message it makes shared: for a broadcast encoder whose result goes
   * to every subscriber. A null message stays null.
   */
  public static <T> Function<T, Frame> sharing(Function<T, byte[]> encoder) {
    return event -> {
      byte[] utf8 = encoder.apply(event);
      return utf8 == null ? null : shared(utf8);
    };
  }

  /** The UTF-8 text. Not a copy: do not modify. */
  public byte[] payload() {
    return payload;
  }

  public int size() {
    return payload.length;
  }

  /** Whether this message goes to many connections (and so may wait for a batched write). */
  boolean isShared() {
    return wire != null;
  }

  /** The complete frame for a connection with no extensions, or null for a single message. */
  ByteBuf wire() {
    return wire == null ? null : wire.duplicate();
  }

  /** The length of the complete frame, header included. */
  int wireSize() {
    return wireSize(payload.length);
  }

  /** What this frame counts against a connection's cap on queued bytes. */
  int cappedSize() {
    return passesCap ? 0 : wireSize();
  }

  /** Appends the complete frame (for a connection with no extensions) to {@code out}. */
  void writeWire(ByteBuf out) {
    writeWire(payload, out);
  }
}
