package dev.livestate.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The store contract against a database server: each subclass names its database, and drops the
 * tables its run made in an {@code @AfterAll} through {@link #dropTablesOf}.
 */
abstract class ServerDatabaseContract extends JdbcStoreContract {

  abstract ServerDatabase database();

  @Override
  protected Store open() throws Exception {
    ServerDatabase db = database();
    db.require();
    Store s = connect(db);
    db.clear();
    return s;
  }

  @Override
  protected Store reopen() {
    store.close();
    return connect(database());
  }

  @Override
  Connection tables() throws SQLException {
    return database().connection();
  }

  @Override
  String prefix() {
    return database().prefix;
  }

  /**
   * The nodes of a cluster start together: on a new database each makes the tables at once, on a
   * database of an earlier version each adds the same columns. Every node must open the store (in
   * PostgreSQL the later of two concurrent CREATE TABLEs fails, and in both a column cannot be
   * added twice, unless the store makes them wait) and then see what the others write.
   */
  @Test
  void nodesStartingTogetherOnANewOrAnEarlierDatabaseAllOpenIt() throws Exception {
    ServerDatabase db = database();
    db.require();
    String together = db.prefix + "n_";
    try {
      startTogether(db, together, "first");
      try (Connection c = tables(); Statement s = c.createStatement()) {
        for (Schema.AddedColumn column : Schema.ADDED) {
          s.execute("ALTER TABLE " + column.table().in(together) + " DROP COLUMN " + column.name());
        }
      }
      startTogether(db, together, "first", "second");
    } finally {
      db.dropTables(together);
    }
  }

  /** Opens four stores at once, writes the last of rooms through one, checks each sees rooms. */
  private static void startTogether(ServerDatabase db, String prefix, String... rooms)
      throws Exception {
    int nodes = 4;
    CyclicBarrier start = new CyclicBarrier(nodes);
    ExecutorService threads = Executors.newFixedThreadPool(nodes);
    List<Future<Store>> opening = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      opening.add(threads.submit(() -> {
        start.await();
        return JdbcStore.connect(db.url, db.user, db.password, prefix);
      }));
    }
    threads.shutdown();
    List<Store> opened = new ArrayList<>();
    ExecutionException failed = null;
    for (Future<Store> f : opening) {
      try {
        opened.add(f.get(30, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        failed = e;
      }
    }
    try {
      if (failed != null) {
        throw failed;
      }
      String room = rooms[rooms.length - 1];
      ok(c -> opened.get(0).create(room, RoomConfig.DEFAULT, "e", c));
      for (Store s : opened) {
        assertEquals(Set.of(rooms),
            s.recover(0).stream().map(StoredRoom::name).collect(Collectors.toSet()));
      }
    } finally {
      opened.forEach(Store::close);
    }
  }

  private static Store connect(ServerDatabase db) {
    return JdbcStore.connect(db.url, db.user, db.password, db.prefix);
  }

  /** Drops the run's tables if the database was reached at all. */
  static void dropTablesOf(ServerDatabase db) throws Exception {
    if (db.reached()) {
      db.dropTables();
    }
  }
}
