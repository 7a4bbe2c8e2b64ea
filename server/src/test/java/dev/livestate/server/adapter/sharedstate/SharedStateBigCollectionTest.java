package dev.livestate.server.adapter.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A collection larger than what a connection may have queued can still be read: the original
 * protocol's GET reply and a subscription's reset notification hold the whole collection in one
 * message, which may pass the cap when nothing else waits before it (docs/compat/sharedstate.md).
 * Here the cap is 2 MiB and the collection six items of 1 MB.
 */
class SharedStateBigCollectionTest {
  private static final String PATH = "/app/items/big";
  private static final String MEGABYTE = "v".repeat(1_000_000);

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("store", "memory",
      "limits.max-queued", "2m"));

  @Test
  void aCollectionLargerThanTheCapIsReadWholeByGetAndBySubscribing() throws Exception {
    try (SharedStateClient writer = SharedStateClient.connect(server)) {
      for (int i = 0; i < 6; i++) {
        JsonNode put = writer.put(PATH, Map.of("insert", List.of(Map.of("id", "i" + i,
            "data", MEGABYTE + i))));
        assertTrue(put.path("ok").asBoolean(), put.toString());
      }
    }
    try (SharedStateClient reader = SharedStateClient.connect(server)) {
      JsonNode reply = reader.get(PATH);

      assertTrue(reply.path("ok").asBoolean());
      assertEquals(6, reply.path("data").size());
      for (JsonNode item : reply.path("data")) {
        assertEquals(MEGABYTE + item.path("id").asText().substring(1),
            item.path("data").asText());
      }
      reader.subscribe(PATH);
      JsonNode reset = reader.await(n -> SharedStateClient.isNotify(n, PATH));
      assertEquals(6, reset.path("data").path("insert").size(), "the full state, in one message");
      assertEquals("/", texts(reader.get("/")), "the connection stayed open");
    }
  }

  private static String texts(JsonNode reply) {
    return reply.path("ok").asBoolean() ? "/" : reply.toString();
  }
}
