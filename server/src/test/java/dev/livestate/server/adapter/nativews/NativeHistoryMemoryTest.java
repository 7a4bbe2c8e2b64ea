package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.ChildServer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A room asking to keep a million ops of history keeps no more bytes of them than its bound
 * (64 MiB by default): 400 changes of 1 MB go through a server whose heap is 192 MiB, which
 * would have held all 400 MB of them. Readers who missed the trimmed ops get a snapshot.
 */
class NativeHistoryMemoryTest {
  private static final String MEGABYTE = "v".repeat(1_000_000);

  @Test
  void aRoomsHistoryIsBoundedByBytesSoLargeChangesCannotExhaustTheHeap() throws Exception {
    try (ChildServer server = ChildServer.start(List.of("-Xmx192m"),
        Files.createTempDirectory("livestate-history"), "--store", "memory");
        NativeClient writer = NativeClient.connect(server.ws(), "writer")) {
      writer.join("long-memory", Map.of("create", Map.of("retainOps", 1_000_000,
          "durable", false)));
      for (int i = 1; i <= 400; i++) {
        JsonNode result = writer.set("long-memory", "k", MEGABYTE + i);
        assertEquals(i, result.at("/acks/0/seq").asLong(), result.path("type").asText());
      }

      try (NativeClient reader = NativeClient.connect(server.ws(), "reader")) {
        JsonNode joined = reader.join("long-memory",
            Map.of("since", Map.of("epoch", writer.epoch, "seq", 1)));
        assertEquals(400, joined.get("seq").asLong());
        assertTrue(joined.has("snapshot"), "seq 2 was trimmed long ago: a snapshot");
        assertEquals(MEGABYTE + 400, joined.at("/snapshot/k").asText());
      }
    }
  }
}
