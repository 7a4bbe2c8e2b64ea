package dev.livestate.server.adapter.uisync;

import io.socket.engineio.server.parser.Packet;
import io.socket.engineio.server.parser.Parser;
import java.nio.charset.StandardCharsets;

/**
 * One server → client event, encoded once and shared by every socket it goes to: as the
 * Engine.IO packet the library sends (polling, and sockets not yet upgraded), and as the UTF-8
 * WebSocket frame engine.io-server's own v4 parser makes of that packet, for sockets on the
 * WebSocket transport.
 */
final class Outbound {
  private final Packet<String> packet;
  private final byte[] frame;

  Outbound(Packet<String> packet) {
    this.packet = packet;
    String[] text = new String[1];
    Parser.PROTOCOL_V4.encodePacket(packet, true, data -> text[0] = (String) data);
    this.frame = text[0].getBytes(StandardCharsets.UTF_8);
  }

  Packet<String> packet() {
    return packet;
  }

  byte[] frame() {
    return frame;
  }
}
