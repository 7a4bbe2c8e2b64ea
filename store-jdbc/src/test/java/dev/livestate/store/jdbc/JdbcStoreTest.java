package dev.livestate.store.jdbc;

import static dev.livestate.testkit.store.StoreFixture.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.junit.jupiter.api.io.TempDir;

/** What the JDBC stores promise beyond the Store contract, shown on SQLite. */
class JdbcStoreTest {
  @TempDir
  Path dir;

  @Test
  void writesAfterCloseFailTheirCallback() throws Exception {
    Store store = JdbcStore.sqlite(dir.resolve("s.db"), false);
    store.close();
    Throwable failure = result(c -> store.create("r", RoomConfig.DEFAULT, "e", c));
    assertInstanceOf(IllegalStateException.class, failure);
    assertThrows(IllegalStateException.class, () -> store.recover(0));
    store.close(); // again: nothing happens
  }

  @Test
  void closeCommitsEverythingQueuedFirst() throws Exception {
    Store store = JdbcStore.sqlite(dir.resolve("s.db"), false);
    List<CompletableFuture<Throwable>> acks = new ArrayList<>();
    acks.add(outcome(c -> store.create("r", RoomConfig.DEFAULT, "e", c)));
    for (int seq = 1; seq <= 2_000; seq++) {
      List<Op> one = List.of(op(seq));
      acks.add(outcome(c -> store.append("r", one, c)));
    }
    store.close();
    for (CompletableFuture<Throwable> ack : acks) {
      assertTrue(ack.isDone(), "every callback ran before close returned");
      assertNull(ack.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }
    try (Store again = JdbcStore.sqlite(dir.resolve("s.db"), false)) {
      assertEquals(2_000, again.recover(0).get(0).head());
    }
  }

  @Test
  void aFailedCommitFailsItsWholeGroupAndLaterWritesGoOn() throws Exception {
    FailingCommits connections =
        new FailingCommits(Connections.sqlite(dir.resolve("s.db"), false));
    Store store = JdbcStore.open(connections, Dialect.SQLITE, "", "test");
    result(c -> store.create("r", RoomConfig.DEFAULT, "e", c));
    assertNull(result(c -> store.append("r", List.of(op(1)), c)));

    connections.failing = true;
    List<CompletableFuture<Throwable>> failed = List.of(
        outcome(c -> store.append("r", List.of(op(2)), c)),
        outcome(c -> store.putAttribute("r", "a", new Json("1"), c)),
        outcome(c -> store.create("other", RoomConfig.DEFAULT, "e", c)));
    for (CompletableFuture<Throwable> f : failed) {
      assertEquals("disk full (simulated)", f.get(WAIT_SECONDS, TimeUnit.SECONDS).getMessage());
    }

    connections.failing = false;
    assertNull(result(c -> store.append("r", List.of(op(2)), c)),
        "the failed append left no trace, so seq 2 comes next again");
    store.close();

    try (Store again = JdbcStore.sqlite(dir.resolve("s.db"), false)) {
      List<StoredRoom> rooms = again.recover(0);
      assertEquals(1, rooms.size());
      assertEquals(2, rooms.get(0).head());
      assertEquals(List.of(op(1), op(2)), rooms.get(0).recentOps());
      assertTrue(rooms.get(0).attributes().isEmpty());
    }
  }

  @Test
  void closeWaitsForTheWriterWhenInterruptedAndKeepsTheInterrupt() throws Exception {
    Store store = JdbcStore.sqlite(dir.resolve("s.db"), false);
    List<CompletableFuture<Throwable>> acks = new ArrayList<>();
    acks.add(outcome(c -> store.create("r", RoomConfig.DEFAULT, "e", c)));
    for (int seq = 1; seq <= 500; seq++) {
      List<Op> one = List.of(op(seq));
      acks.add(outcome(c -> store.append("r", one, c)));
    }
    Thread.currentThread().interrupt();
    boolean interrupted;
    try {
      store.close();
    } finally {
      interrupted = Thread.interrupted();
    }
    assertTrue(interrupted, "the caller's interrupt is kept for it");
    for (CompletableFuture<Throwable> ack : acks) {
      assertTrue(ack.isDone(), "close returned only after every callback ran");
      assertNull(ack.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }
  }

  @Test
  void aClosedStoreLetsGoOfItsFileAtOnce() throws Exception {
    Path file = dir.resolve("s.db");
    Store store = JdbcStore.sqlite(file, false);
    assertNull(result(c -> store.create("r", RoomConfig.DEFAULT, "e", c)));
    store.close();
    // A restarted server opens the file next: it must not wait for the old store's lock.
    try (Connection next = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = next.createStatement()) {
      s.execute("PRAGMA busy_timeout = 0");
      s.execute("BEGIN IMMEDIATE");
      s.execute("ROLLBACK");
    }
  }

  @Test
  void aCallbackThatThrowsDoesNotStopLaterWrites() throws Exception {
    try (Store store = JdbcStore.sqlite(dir.resolve("s.db"), false)) {
      assertNull(result(c -> store.create("r", RoomConfig.DEFAULT, "e", c)));
      store.append("r", List.of(op(1)), failure -> {
        throw new IllegalStateException("a callback's bug (simulated)");
      });
      assertNull(result(c -> store.append("r", List.of(op(2)), c)));
      assertEquals(2, store.recover(0).get(0).head());
    }
  }

  @Test
  void theWriterThreadDoesNotKeepTheJvmAlive() {
    try (Store store = JdbcStore.sqlite(dir.resolve("daemon.db"), false)) {
      List<Thread> writers = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("livestate-store-daemon.db")).toList();
      assertEquals(1, writers.size());
      assertTrue(writers.get(0).isDaemon());
    }
  }

  @Test
  void aStoreFileIsCreatedWithItsMissingDirectories() throws Exception {
    Path file = dir.resolve("a").resolve("b").resolve("s.db");
    try (Store store = JdbcStore.sqlite(file, false)) {
      assertNull(result(c -> store.create("r", RoomConfig.DEFAULT, "e", c)));
    }
    assertTrue(Files.isRegularFile(file));
  }

  @Test
  void aJdbcSqliteUrlOpensAStoreAsWell() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("url.db");
    try (Store store = JdbcStore.connect(url, null, null, "p_")) {
      assertNull(result(c -> store.create("r", RoomConfig.DEFAULT, "e", c)));
      assertNull(result(c -> store.append("r", List.of(op(1)), c)));
    }
    try (Store store = JdbcStore.connect(url, null, null, "p_")) {
      assertEquals(1, store.recover(0).get(0).head());
    }
  }

  @Test
  void sqliteRunsInWalModeWithTheAskedSync() throws Exception {
    for (boolean full : List.of(true, false)) {
      Connections connections = Connections.sqlite(dir.resolve(full + ".db"), full);
      Connection c = connections.borrow();
      assertEquals("wal", pragma(c, "journal_mode"));
      assertEquals(full ? "2" : "1", pragma(c, "synchronous"));
      assertEquals("10000", pragma(c, "busy_timeout"));
      assertEquals("-32768", pragma(c, "cache_size"));
      assertEquals(SQLiteConfig.TransactionMode.IMMEDIATE,
          c.unwrap(SQLiteConnection.class).getConnectionConfig().getTransactionMode());
      connections.close();
    }
  }

  private static Op op(long seq) {
    return new Op(seq, "w", seq, 0, seq, Change.Put.of("k" + seq, new Json(String.valueOf(seq))));
  }

  private static String pragma(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Runs a write and waits for its callback: its failure, or null for success. */
  private static Throwable result(java.util.function.Consumer<Store.Commit> write)
      throws Exception {
    return outcome(write).get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** The callback's failure (null for success) once it runs. */
  private static CompletableFuture<Throwable> outcome(
      java.util.function.Consumer<Store.Commit> write) {
    CompletableFuture<Throwable> f = new CompletableFuture<>();
    write.accept(f::complete);
    return f;
  }

  /** Real connections whose commits fail while {@link #failing}, as on a full disk. */
  private static final class FailingCommits implements Connections {
    private final Connections real;
    volatile boolean failing;

    FailingCommits(Connections real) {
      this.real = real;
    }

    @Override
    public Connection borrow() throws SQLException {
      Connection c = real.borrow();
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            if (failing && method.getName().equals("commit")) {
              throw new SQLException("disk full (simulated)");
            }
            try {
              return method.invoke(c, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    @Override
    public void release(Connection connection, boolean broken) {
      real.release(connection, broken);
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
