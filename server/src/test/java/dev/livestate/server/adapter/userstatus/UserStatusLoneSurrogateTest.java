package dev.livestate.server.adapter.userstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, fault 1, on userstatus: a newlog whose strings hold half a surrogate pair is refused
 * with 400 in the surface's error shape, over HTTP and over the WebSocket; subscribers stay, and
 * sites that differ only in such a half are never created, so none merge across a restart.
 */
class UserStatusLoneSurrogateTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static void assertRefused(HttpResponse<String> r) throws Exception {
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).path("error").textValue().contains("surrogate"), r.body());
  }

  @Test
  void aMessageWithALoneSurrogateIsRefusedAndSubscribersGetTheNextOne() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of());
        WebSocketClient viewer = s.socket("/logs/ws?site=obs");
        WebSocketClient poster = s.socket("/logs/ws?site=obs")) {
      Await.until("both online", () -> {
        try {
          return s.get("/logs/onlineusers?site=obs").body().split("ConnectionID").length == 3;
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      assertRefused(s.post("/logs/newlog", "{\"site\":\"obs\",\"log_message\":\"dome \\ud800\"}"));
      poster.send("{\"action\":\"newlog\",\"site\":\"obs\",\"log_message\":\"m\",\"\\udc00\":1}");
      assertTrue(poster.next().path("error").textValue().contains("surrogate"));

      assertEquals(200, s.post("/logs/newlog", "{\"site\":\"obs\",\"log_message\":\"open\","
          + "\"timestamp\":1700000000}").statusCode());
      assertEquals("open", viewer.next().path("message").textValue());
      assertTrue(viewer.isOpen() && poster.isOpen());
      assertEquals("[{\"message\":\"open\",\"log_level\":\"info\",\"timestamp\":1700000000}]",
          s.get("/logs/recent-logs?site=obs&after_time=0").body());
    }
  }

  @Test
  void sitesThatDifferOnlyInALoneSurrogateDoNotMergeAcrossARestart() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of())) {
      assertRefused(s.post("/logs/newlog", "{\"site\":\"twin\\ud800\",\"log_message\":\"a\"}"));
      assertRefused(s.post("/logs/newlog", "{\"site\":\"twin\\ud801\",\"log_message\":\"b\"}"));
      assertEquals(200, s.post("/logs/newlog", "{\"site\":\"twin\\ud83d\\ude00\","
          + "\"log_message\":\"grin\",\"timestamp\":1700000000}").statusCode());
    }
    try (TestServer s = TestServer.start(dir, Map.of())) {
      assertEquals("[]", s.get("/logs/recent-logs?site=twin%3F&after_time=0").body());
      assertEquals("[{\"message\":\"grin\",\"log_level\":\"info\",\"timestamp\":1700000000}]",
          s.get("/logs/recent-logs?site=twin%F0%9F%98%80&after_time=0").body());
    }
  }
}
