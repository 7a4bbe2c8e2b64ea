package dev.livestate.server.adapter.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol is JSON text: a binary frame is ignored, not answered and not applied. */
class SharedStateBinaryFrameTest {
  @TempDir Path dir;

  @Test
  void aBinaryFrameIsIgnoredAndTheConnectionCarriesOn() throws Exception {
    String path = "/bin/items/coll";
    try (TestServer server = TestServer.start(dir, Map.of("store", "memory"));
        SharedStateClient c = SharedStateClient.connect(server)) {
      c.subscribe(path);
      int before = c.received().size();
      String request = "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"" + path
          + "\",\"arg\":{\"insert\":[{\"id\":\"bin\"}]},\"tunnel\":\"binary\"}";
      c.ws.sendBinary(request.getBytes(StandardCharsets.UTF_8));
      // the next text request is the marker: its reply is the first thing to come back
      JsonNode marker = c.get(path);
      assertTrue(marker.path("ok").asBoolean(), marker.toString());
      assertEquals(0, marker.path("data").size(), "the binary update was not applied");
      List<JsonNode> since = c.received().subList(before, c.received().size());
      assertEquals(List.of(marker), since, "nothing answered the binary frame");
      assertFalse(c.isClosed());
    }
  }
}
