package dev.livestate.server.adapter.synk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Silent clients are dropped after the timeout; a channel nobody is left in is removed. */
class SupersynkTimeoutTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void aSilentClientIsDroppedAndAnEmptyChannelRemoved() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("synk.timeout", "1s"))) {
      s.post("/api/channels/quiet", "{\"client_id\":\"ada\"}");
      s.post("/synk/quiet", "{\"c\":\"joe\",\"d\":[]}");
      assertEquals(2, JSON.readTree(s.get("/api/channels/quiet").body()).size());
      assertTrue(s.get("/api/channels").body().contains("\"quiet\""));
      long start = System.nanoTime();
      // joe keeps posting; ada goes quiet and is dropped.
      while (JSON.readTree(s.get("/api/channels/quiet").body()).size() != 1) {
        s.post("/synk/quiet", "{\"c\":\"joe\",\"d\":[]}");
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "ada was never dropped");
        Thread.sleep(100);
      }
      assertEquals("joe", JSON.readTree(s.get("/api/channels/quiet").body()).get(0).get("client_id").textValue());
      // Everyone quiet: the channel goes too.
      Await.until("channel removed", () -> {
        try {
          return !s.get("/api/channels").body().contains("\"quiet\"");
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      assertEquals(null, s.server().engine().room("synk:quiet"));
      assertEquals("[]", s.get("/synk/quiet").body());
      // Posting again brings it back.
      s.post("/synk/quiet", "{\"c\":\"ada\",\"d\":[]}");
      assertEquals(1, JSON.readTree(s.get("/synk/quiet").body()).size());
    }
  }
}
