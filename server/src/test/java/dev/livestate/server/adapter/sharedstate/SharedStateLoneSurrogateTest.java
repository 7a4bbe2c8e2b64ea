package dev.livestate.server.adapter.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, fault 1, on shared state: a request whose strings hold half a surrogate pair gets an
 * error reply on its tunnel; the collection stays readable, subscribers get the next change, and
 * paths or ids that differ only in such a half never reach the store, so none merge.
 */
class SharedStateLoneSurrogateTest {
  @TempDir Path dir;

  static JsonNode reply(SharedStateClient c, int tunnel) {
    return c.await(n -> "REPLY".equals(n.path("type").asText())
        && n.path("tunnel").asInt() == tunnel);
  }

  @Test
  void anItemWithALoneSurrogateIsRefusedAndTheCollectionStaysReadable() throws Exception {
    String path = "/app/items/poisoned";
    try (TestServer s = TestServer.start(dir, Map.of());
        SharedStateClient subscriber = SharedStateClient.connect(s);
        SharedStateClient writer = SharedStateClient.connect(s)) {
      subscriber.subscribe(path);
      writer.sendText("{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"" + path + "\",\"arg\":"
          + "{\"insert\":[{\"id\":\"a\",\"name\":\"x\\ud800\"}]},\"tunnel\":7}");
      JsonNode refused = reply(writer, 7);
      assertFalse(refused.path("ok").asBoolean(), refused.toString());
      assertTrue(refused.path("data").asText().contains("surrogate"), refused.toString());

      int before = subscriber.notifications().size();
      JsonNode ok = writer.put(path, Map.of("insert", List.of(Map.of("id", "a", "name", "fine"))));
      assertTrue(ok.path("ok").asBoolean(), ok.toString());
      JsonNode notify = subscriber.awaitFrom(before, n -> SharedStateClient.isNotify(n, path));
      assertEquals("fine", notify.at("/data/insert/0/name").asText(), notify.toString());
      assertFalse(subscriber.isClosed());
      try (SharedStateClient reader = SharedStateClient.connect(s)) {
        JsonNode items = reader.get(path);
        assertTrue(items.path("ok").asBoolean(), items.toString());
        assertEquals("fine", items.at("/data/0/name").asText(), items.toString());
      }
    }
  }

  @Test
  void pathsAndIdsThatDifferOnlyInALoneSurrogateDoNotMergeAcrossARestart() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of());
        SharedStateClient c = SharedStateClient.connect(s)) {
      int tunnel = 1;
      for (String half : new String[] {"\\ud800", "\\ud801"}) {
        c.sendText("{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/app/items/twin" + half
            + "\",\"arg\":{\"insert\":[{\"id\":\"a\"}]},\"tunnel\":" + tunnel + "}");
        assertFalse(reply(c, tunnel++).path("ok").asBoolean());
        c.sendText("{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/app/items/twin\",\"arg\":"
            + "{\"insert\":[{\"id\":\"x" + half + "\"}]},\"tunnel\":" + tunnel + "}");
        assertFalse(reply(c, tunnel++).path("ok").asBoolean());
      }
      assertTrue(c.put("/app/items/twin", Map.of("insert", List.of(Map.of("id", "x\ud83d\ude00"))))
          .path("ok").asBoolean());
    }
    try (TestServer s = TestServer.start(dir, Map.of());
        SharedStateClient c = SharedStateClient.connect(s)) {
      assertEquals("[]", c.get("/app/items/twin?").path("data").toString());
      JsonNode items = c.get("/app/items/twin").path("data");
      assertEquals(1, items.size(), items.toString());
      assertEquals("x\ud83d\ude00", items.at("/0/id").asText());
    }
  }
}
