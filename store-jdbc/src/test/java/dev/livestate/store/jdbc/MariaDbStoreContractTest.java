package dev.livestate.store.jdbc;

import static dev.livestate.testkit.store.TestOps.json;
import static dev.livestate.testkit.store.TestOps.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.livestate.room.LedgerEntry;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class MariaDbStoreContractTest extends ServerDatabaseContract {
  private static final ServerDatabase DB = ServerDatabase.MARIADB;

  @Override
  ServerDatabase database() {
    return DB;
  }

  /** The schema's VARCHAR(255) and VARCHAR(500) key columns. */
  @Override
  int longestName() {
    return 255;
  }

  @Override
  int longestKey() {
    return 500;
  }

  @Test
  void namesAndKeysTooLongForTheSchemaFailOnlyTheirOwnWrites() throws Exception {
    create("r");
    String longKey = longText('k', 501);
    CompletableFuture<Void> tooLongKey =
        committed(c -> store.append("r", List.of(put(1, "w", longKey, "1")), c));
    CompletableFuture<Void> fine =
        committed(c -> store.create(longText('x', 255), RoomConfig.DEFAULT, "e", c));
    CompletableFuture<Void> next = committed(c -> store.append("r", List.of(put(1, "w",
        longText('k', 500), "1")), c));
    CompletableFuture<Void> tooLongRoom =
        committed(c -> store.create(longText('x', 256), RoomConfig.DEFAULT, "e", c));
    CompletableFuture<Void> tooLongAttribute =
        committed(c -> store.putAttribute("r", longKey, json("1"), c));
    CompletableFuture<Void> attribute =
        committed(c -> store.putAttribute("r", "a", json("1"), c));
    CompletableFuture<Void> tooLongClient = committed(c -> store.append("r", List.of(),
        List.of(new LedgerEntry.Forgotten(longText('c', 501), 1)), c));
    fine.get(WAIT_SECONDS, TimeUnit.SECONDS);
    next.get(WAIT_SECONDS, TimeUnit.SECONDS);
    attribute.get(WAIT_SECONDS, TimeUnit.SECONDS);
    for (CompletableFuture<Void> refused : List.of(tooLongKey, tooLongRoom, tooLongAttribute,
        tooLongClient)) {
      Throwable failure = refused.handle((ok, f) -> f).get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertInstanceOf(IllegalStateException.class, failure);
    }

    Map<String, StoredRoom> rooms = recovered(NOW);
    assertEquals(1, rooms.get("r").head());
    assertEquals(Map.of("a", json("1")), rooms.get("r").attributes());
    assertEquals(2, rooms.size(), "r and the 255-character room");
  }

  /**
   * The test user root has no password: this one has, so only the given name and password work.
   * It is made once and kept, like the test database: a test PIT kills midway drops nothing.
   */
  @Test
  void aStoreLogsInAsTheGivenUserWithItsPassword() throws Exception {
    String user = "livestate_test_login";
    try (Connection c = DB.connection(); Statement s = c.createStatement()) {
      s.execute("CREATE USER IF NOT EXISTS '" + user + "'@'%' IDENTIFIED BY 'right-1'");
      s.execute("GRANT ALL ON `" + c.getCatalog() + "`.* TO '" + user + "'@'%'");
    }
    // A failed login costs the pool a second's pause, so only the one that works is tried.
    try (Store s = JdbcStore.connect(DB.url, user, "right-1", DB.prefix)) {
      assertEquals(List.of(), s.recover(NOW));
    }
  }

  @AfterAll
  static void dropTables() throws Exception {
    dropTablesOf(DB);
  }
}
