package dev.livestate.server.adapter.uisync;

import dev.livestate.server.http.Frame;
import io.socket.engineio.server.parser.Packet;
import io.socket.engineio.server.parser.Parser;
import java.nio.charset.StandardCharsets;

/**
 * One server → client event: the Engine.IO packet the library sends (polling, and sockets not
 * yet upgraded), and the WebSocket frame engine.io-server's own v4 parser makes of that packet,
 * for sockets on the WebSocket transport. A broadcast's events are {@link #shared}, so their
 * frame is built once for every follower.
 */
final class Outbound {
  private final Packet<String> packet;
  private final Frame frame;

  private Outbound(Packet<String> packet, Frame frame) {
    this.packet = packet;
    this.frame = frame;
  }

  /** An event for one client. */
  static Outbound of(Packet<String> packet) {
    String[] text = new String[1];
    Parser.PROTOCOL_V4.encodePacket(packet, true, data -> text[0] = (String) data);
    return new Outbound(packet, Frame.single(text[0].getBytes(StandardCharsets.UTF_8)));
  }

  /** The same event, for many clients. */
  Outbound shared() {
    return new Outbound(packet, Frame.shared(frame.payload()));
  }

  Packet<String> packet() {
    return packet;
  }

  Frame frame() {
    return frame;
  }
}
