package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.testkit.await.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server itself purges expired stream messages from its store, every store.purge-interval. */
class StreamPurgeTest {
  @TempDir Path dir;

  @Test
  void expiredMessagesLeaveTheStoreWithoutAnyoneAsking() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("userstatus.ttl", "3s",
        "store.purge-interval", "200ms"))) {
      assertEquals(200, s.post("/logs/newlog", "{\"site\":\"purged\",\"log_message\":\"x\"}")
          .statusCode());
      Await.until("the message to be written", () -> streamRows() == 1);
      Await.until("the expired message to be purged", () -> streamRows() == 0);
    }
  }

  private long streamRows() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("livestate.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM stream")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
