package dev.livestate.store.jdbc;

import static dev.livestate.store.TestOps.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.livestate.room.RoomConfig;
import java.util.List;
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

  @Test
  void aKeyTooLongForTheSchemaFailsOnlyItsOwnWrite() throws Exception {
    create("r");
    String longKey = "k".repeat(501);
    CompletableFuture<Void> tooLong =
        committed(c -> store.append("r", List.of(put(1, "w", longKey, "1")), c));
    CompletableFuture<Void> fine =
        committed(c -> store.create("x".repeat(255), RoomConfig.DEFAULT, "e", c));
    CompletableFuture<Void> next = committed(c -> store.append("r", List.of(put(1, "w",
        "k".repeat(500), "1")), c));
    fine.get(10, TimeUnit.SECONDS);
    next.get(10, TimeUnit.SECONDS);
    Throwable failure = tooLong.handle((ok, f) -> f).get(10, TimeUnit.SECONDS);
    assertInstanceOf(IllegalStateException.class, failure);
    assertEquals(1, recovered(NOW).get("r").head());
  }

  @AfterAll
  static void dropTables() throws Exception {
    dropTablesOf(DB);
  }
}
