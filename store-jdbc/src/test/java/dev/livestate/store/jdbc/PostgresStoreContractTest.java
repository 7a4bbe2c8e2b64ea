package dev.livestate.store.jdbc;

import static dev.livestate.testkit.store.StoreFixture.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PostgresStoreContractTest extends ServerDatabaseContract {
  private static final ServerDatabase DB = ServerDatabase.postgres();

  @Override
  ServerDatabase database() {
    return DB;
  }

  @Test
  void aClosedStoreHoldsNoConnectionToTheDatabase() throws Exception {
    // The server lists each connection with the application name its URL gave it.
    String app = "livestate-test-" + DB.prefix;
    String url = DB.url + (DB.url.contains("?") ? "&" : "?") + "ApplicationName=" + app;
    Store other = JdbcStore.connect(url, DB.user, DB.password, DB.prefix);
    ok(c -> other.create("r", RoomConfig.DEFAULT, "e", c));
    assertTrue(connectionsNamed(app) > 0);
    other.close();

    // A backend leaves the list a moment after its client hung up.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (connectionsNamed(app) > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(0, connectionsNamed(app));
  }

  private static long connectionsNamed(String app) throws SQLException {
    try (Connection c = DB.connection(); PreparedStatement ps = c.prepareStatement(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, app);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @AfterAll
  static void dropTables() throws Exception {
    dropTablesOf(DB);
  }
}
