package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Setting websocket.write-delay: broadcasts to a client that was written to less than the delay
 * ago wait out the rest of it and leave together; a quiet client and replies do not wait. The
 * delay is long here so that scheduling noise cannot pass for it.
 */
class WriteDelayTest {
  private static final long DELAY_MS = 600;
  @RegisterExtension
  static final TestServer server =
      TestServer.perClass(Map.of("websocket.write-delay", DELAY_MS + "ms"));

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private static long valueOf(JsonNode ops) {
    return ops.get("ops").get(0).get("set").get("k").asLong();
  }

  @Test
  void broadcastsWithinTheDelayShareOneWriteWhileQuietClientsAndRepliesGoAtOnce() throws Exception {
    String url = server.ws("/ws");
    try (NativeClient writer = NativeClient.connect(url, "writer");
        NativeClient reader = NativeClient.connect(url, "reader")) {
      writer.join("delayed", Map.of("create", Map.of("policy", "last-writer-wins")));
      reader.join("delayed", Map.of("role", "reader"));
      Thread.sleep(DELAY_MS); // the join replies count as writes: let the reader go quiet

      long sent = System.nanoTime();
      assertEquals("result", writer.set("delayed", "k", 1).path("type").asText());
      JsonNode first = reader.ws.awaitType("ops");
      long firstAt = reader.ws.arrivedAt(first);
      assertEquals(1, valueOf(first));
      assertTrue(ms(firstAt - sent) < DELAY_MS / 2,
          "a quiet client gets a broadcast at once, not after " + ms(firstAt - sent) + " ms");

      long acked = System.nanoTime();
      writer.set("delayed", "k", 2);
      writer.set("delayed", "k", 3);
      assertTrue(ms(System.nanoTime() - acked) < DELAY_MS / 2, "replies do not wait");
      JsonNode second = reader.ws.awaitType("ops");
      JsonNode third = reader.ws.awaitType("ops");
      assertEquals(2, valueOf(second));
      assertEquals(3, valueOf(third));
      long secondAt = reader.ws.arrivedAt(second);
      assertTrue(ms(secondAt - firstAt) >= DELAY_MS - 50,
          "broadcasts right after a write wait out the delay; came after " + ms(secondAt - firstAt));
      assertTrue(ms(reader.ws.arrivedAt(third) - secondAt) < DELAY_MS / 4,
          "broadcasts held together leave together");

      // the reader has just been written to, so the next broadcast is held; a reply to the
      // reader is not, and takes the held broadcast along, ahead of itself
      writer.set("delayed", "k", 4);
      Thread.sleep(DELAY_MS / 6); // the broadcast reaches the reader's connection, and is held
      long asked = System.nanoTime();
      JsonNode joined = reader.join("other", Map.of("create", Map.of("policy", "last-writer-wins")));
      long joinedAt = reader.ws.arrivedAt(joined);
      assertEquals("joined", joined.path("type").asText());
      assertTrue(ms(joinedAt - asked) < DELAY_MS / 2,
          "a reply is not held: it took " + ms(joinedAt - asked) + " ms");
      JsonNode fourth = reader.ws.awaitType("ops");
      assertEquals(4, valueOf(fourth));
      assertTrue(reader.ws.arrivedAt(fourth) <= joinedAt, "the held broadcast left first");
    }
  }
}
