package dev.livestate.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A shared frame is exactly what a client's WebSocket decoder reads as the text it carries. */
class FrameTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 1_048_576})
  void everyLengthFormDecodesToTheSameText(int length) {
    byte[] text = new byte[length];
    Arrays.fill(text, (byte) 'x');
    Frame frame = Frame.shared(text);

    // a client's decoder: server frames arrive unmasked
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(
        WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false)
            .maxFramePayloadLength(2 << 20).build()));
    // two subscribers' views of the same frame, one after the other
    client.writeInbound(frame.wire(), frame.wire());
    for (int i = 0; i < 2; i++) {
      TextWebSocketFrame decoded = client.readInbound();
      assertArrayEquals(text, ByteBufUtil.getBytes(decoded.content()));
      decoded.release();
    }
    assertNull(client.readInbound());
    assertEquals(length, frame.size());
  }

  @Test
  void readingOneViewLeavesTheOthersWhole() {
    byte[] utf8 = "héllo ✓".getBytes(StandardCharsets.UTF_8);
    Frame frame = Frame.shared(utf8);
    ByteBuf first = frame.wire();
    first.skipBytes(first.readableBytes());
    first.release();
    ByteBuf second = frame.wire();
    assertEquals(utf8.length + 2, second.readableBytes());
    second.release();
  }

  @Test
  void aMessageForOneConnectionIsEncodedWhenWritten() {
    assertNull(Frame.single("reply".getBytes(StandardCharsets.UTF_8)).wire());
  }
}
