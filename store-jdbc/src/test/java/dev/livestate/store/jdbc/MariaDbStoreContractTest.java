package dev.livestate.store.jdbc;

import static dev.livestate.store.TestOps.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import dev.livestate.store.StoreContract;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class MariaDbStoreContractTest extends StoreContract {
  private static final ServerDatabase DB = ServerDatabase.MARIADB;
  private static boolean opened;

  @Override
  protected Store open() throws Exception {
    DB.require();
    Store s = JdbcStore.connect(DB.url, DB.user, DB.password, DB.prefix);
    opened = true;
    DB.clear();
    return s;
  }

  @Override
  protected Store reopen() {
    store.close();
    return JdbcStore.connect(DB.url, DB.user, DB.password, DB.prefix);
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
    if (opened) {
      DB.dropTables();
    }
  }
}
