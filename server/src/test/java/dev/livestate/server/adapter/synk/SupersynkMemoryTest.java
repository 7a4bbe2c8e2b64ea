package dev.livestate.server.adapter.synk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channels are in memory by design: nothing reaches the durable store and a restart empties
 * them; the late-request clock goes with its channel. CORS follows {@code synk.origins}.
 */
class SupersynkMemoryTest {
  @TempDir Path dir;

  @Test
  void nothingOfAChannelIsStoredAndARestartEmptiesIt() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("synk.timeout", "60s"))) {
      assertEquals(200, s.post("/synk/mem", "{\"c\":\"ada\",\"d\":[{\"k\":\"head\",\"v\":1}]}",
          "Client-Id", "ada", "Client-Time", "1000").statusCode());
      assertEquals(200, s.post("/api/channels/mem", "{\"client_id\":\"joe\",\"x\":1}")
          .statusCode());
      assertTrue(s.get("/api/channels").body().contains("\"mem\""));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("livestate.db"));
        Statement st = c.createStatement()) {
      for (String table : List.of("rooms", "ops", "entries", "attributes", "stream")) {
        String column = table.equals("rooms") ? "name" : "room";
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + column
            + " LIKE 'synk:%'")) {
          rs.next();
          assertEquals(0, rs.getLong(1), "Supersynk rows in " + table);
        }
      }
    }
    try (TestServer s = TestServer.start(dir, Map.of("synk.timeout", "60s"))) {
      assertFalse(s.get("/api/channels").body().contains("\"mem\""));
      assertEquals("[]", s.get("/synk/mem").body());
      assertEquals(200, s.post("/synk/mem", "{\"c\":\"ada\",\"d\":[]}", "Client-Id", "ada",
          "Client-Time", "1").statusCode(), "the old Client-Time is gone too");
    }
  }

  @Test
  void aClientsLastTimeGoesWithItsRemovedChannel() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("synk.timeout", "1s"))) {
      assertEquals(200, s.post("/api/channels/gone", "{\"client_id\":\"ada\"}",
          "Client-Id", "ada", "Client-Time", "1000").statusCode());
      assertEquals(204, s.post("/api/channels/gone", "{\"client_id\":\"ada\"}",
          "Client-Id", "ada", "Client-Time", "999").statusCode());
      Await.until("channel removed", () -> s.server().engine().room("synk:gone") == null);
      assertEquals(200, s.post("/api/channels/gone", "{\"client_id\":\"ada\",\"v\":2}",
          "Client-Id", "ada", "Client-Time", "999").statusCode());
      assertEquals("[{\"client_id\":\"ada\",\"v\":2}]", s.get("/api/channels/gone").body());
    }
  }

  @Test
  void corsAllowsOnlyTheConfiguredOrigins() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("synk.origins",
        "https://vr.example, https://lab.example"))) {
      HttpResponse<String> allowed = s.send("GET", "/api/channels", "Origin", "https://lab.example");
      assertEquals("https://lab.example",
          allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
      assertTrue(allowed.headers().allValues("Vary").toString().contains("Origin"));
      HttpResponse<String> other = s.post("/synk/c", "{\"c\":\"ada\"}", "Origin",
          "https://evil.example");
      assertEquals(403, other.statusCode(), "a page from another origin is refused");
      assertTrue(other.body().startsWith("{\"error\":"), other.body());
      assertEquals(null, other.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
      assertEquals("[]", s.get("/synk/c").body(), "its post was not applied");
      HttpResponse<String> pre = s.send("OPTIONS", "/api/channels/c", "Origin",
          "https://vr.example", "Access-Control-Request-Method", "POST");
      assertEquals(204, pre.statusCode());
      assertEquals("https://vr.example",
          pre.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }
  }
}
