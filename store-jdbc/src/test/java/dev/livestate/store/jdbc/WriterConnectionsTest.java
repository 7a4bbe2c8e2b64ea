package dev.livestate.store.jdbc;

import static dev.livestate.testkit.store.StoreFixture.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the writer uses its connections: one that died (a server restarted, the network dropped)
 * is never used again and the store goes on, every borrowed one is given back, and the writer
 * does not ask the database what it already knows.
 */
class WriterConnectionsTest {
  @TempDir
  Path dir;

  @Test
  void afterItsConnectionDiesTheStoreGoesOnOverANewOne() throws Exception {
    Dying connections = new Dying(Connections.sqlite(dir.resolve("s.db"), false));
    Store store = JdbcStore.open(connections, Dialect.SQLITE, "", "test");
    assertNull(outcome(c -> store.create("r", RoomConfig.DEFAULT, "e", c)));
    assertNull(outcome(c -> store.append("r", List.of(op(1)), c)));

    connections.dieAtNextCommit = true;
    assertNotNull(outcome(c -> store.append("r", List.of(op(2)), c)));
    assertNull(outcome(c -> store.append("r", List.of(op(2)), c)),
        "the dead connection was let go and a new one took its place");
    assertNull(outcome(c -> store.putAttribute("r", "a", new Json("1"), c)));
    store.close();

    try (Store again = JdbcStore.sqlite(dir.resolve("s.db"), false)) {
      StoredRoom r = again.recover(0).get(0);
      assertEquals(List.of(op(1), op(2)), r.recentOps());
      assertEquals(1, r.attributes().size());
    }
  }

  @Test
  void everyConnectionBorrowedIsGivenBackBrokenOnlyAfterAFailure() throws Exception {
    Dying connections = new Dying(Connections.sqlite(dir.resolve("s.db"), false));
    Store store = JdbcStore.open(connections, Dialect.SQLITE, "", "test");
    assertNull(outcome(c -> store.create("r", RoomConfig.DEFAULT, "e", c)));
    assertEquals(1, store.recover(0).size());
    connections.dieAtNextCommit = true;
    assertNotNull(outcome(c -> store.append("r", List.of(op(1)), c)));
    assertNull(outcome(c -> store.append("r", List.of(op(1)), c)));
    assertEquals(1, store.recover(0).get(0).head());
    store.close();

    // Tables, create, recover, the failed append, the retried one, recover.
    assertEquals(List.of(false, false, false, true, false, false), connections.released);
    assertEquals(0, connections.outstanding);
    assertTrue(connections.closed);
  }

  @Test
  void aStoreThatCannotCreateItsTablesClosesItsConnections() {
    Dying connections = new Dying(Connections.sqlite(dir.resolve("s.db"), false));
    connections.refuseStatements = true;
    assertThrows(IllegalStateException.class,
        () -> JdbcStore.open(connections, Dialect.SQLITE, "", "test"));
    assertEquals(List.of(true), connections.released);
    assertTrue(connections.closed);
  }

  @Test
  void aRoomsHeadIsReadFromTheDatabaseOnceNotForEveryAppend() throws Exception {
    Path file = dir.resolve("s.db");
    try (Store store = JdbcStore.sqlite(file, false)) {
      assertNull(outcome(c -> store.create("r", RoomConfig.DEFAULT, "e", c)));
    }
    Dying connections = new Dying(Connections.sqlite(file, false));
    try (Store store = JdbcStore.open(connections, Dialect.SQLITE, "", "test")) {
      for (int seq = 1; seq <= 20; seq++) {
        List<Op> one = List.of(op(seq));
        assertNull(outcome(c -> store.append("r", one, c)));
      }
    }
    assertEquals(1, connections.headQueries.get(), "gap checks against the head kept in memory");
  }

  @Test
  void aFailedCommitOrReadMakesTheStoreFailingUntilSomethingCommits() throws Exception {
    Dying connections = new Dying(Connections.sqlite(dir.resolve("s.db"), false));
    try (Store store = JdbcStore.open(connections, Dialect.SQLITE, "", "test")) {
      assertNull(outcome(c -> store.create("r", RoomConfig.DEFAULT, "e", c)));
      assertFalse(store.failing());

      connections.dieAtNextCommit = true;
      assertNotNull(outcome(c -> store.append("r", List.of(op(1)), c)));
      assertTrue(store.failing());
      assertNull(outcome(store::probe));
      assertFalse(store.failing(), "the probe committed");

      assertNotNull(outcome(c -> store.append("r", List.of(op(5)), c)));
      assertFalse(store.failing(), "a write refused alone is no failure of the store");

      connections.refuseReads = true;
      CompletableFuture<Throwable> read = new CompletableFuture<>();
      store.load("r", 0, (room, failure) -> read.complete(failure));
      assertNotNull(read.get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertTrue(store.failing(), "a read that fails says the database is failing too");
      connections.refuseReads = false;
      assertNull(outcome(c -> store.append("r", List.of(op(1)), c)));
      assertFalse(store.failing());
    }
  }

  private static Op op(long seq) {
    return new Op(seq, "w", seq, 0, seq, Change.Put.of("k", new Json(String.valueOf(seq))));
  }

  /** The callback's failure, or null for success. */
  private static Throwable outcome(Consumer<Store.Commit> write) throws Exception {
    CompletableFuture<Throwable> f = new CompletableFuture<>();
    write.accept(f::complete);
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Real SQLite connections, each seen through one handle for as long as it lives, whose commit
   * can be made to kill it: from then on every call on that handle fails, as on a socket the
   * server closed. Records what the store gives back, and counts the queries for a head.
   */
  private static final class Dying implements Connections {
    private final Connections real;
    private Connection current;
    private Connection handle;
    volatile boolean dieAtNextCommit;
    volatile boolean refuseStatements;
    volatile boolean refuseReads;
    final List<Boolean> released = Collections.synchronizedList(new ArrayList<>());
    volatile int outstanding;
    volatile boolean closed;
    final AtomicInteger headQueries = new AtomicInteger();

    Dying(Connections real) {
      this.real = real;
    }

    @Override
    public Connection borrow() throws SQLException {
      Connection c = real.borrow();
      if (c != current) {
        current = c;
        handle = handleOn(c);
      }
      outstanding++;
      return handle;
    }

    private Connection handleOn(Connection c) {
      boolean[] dead = {false};
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            String name = method.getName();
            if (dead[0]) {
              throw new SQLException("connection is dead (simulated)");
            }
            if (name.equals("commit") && dieAtNextCommit) {
              dieAtNextCommit = false;
              dead[0] = true;
              throw new SQLException("connection is dead (simulated)");
            }
            if (name.equals("createStatement") && refuseStatements) {
              throw new SQLException("permission denied (simulated)");
            }
            if (name.equals("prepareStatement") && refuseReads
                && ((String) args[0]).startsWith("SELECT name")) {
              throw new SQLException("the database went away (simulated)");
            }
            Object result = call(c, method, args);
            if (name.equals("prepareStatement") && ((String) args[0]).startsWith("SELECT head")) {
              return counted((PreparedStatement) result);
            }
            return result;
          });
    }

    private PreparedStatement counted(PreparedStatement ps) {
      return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
            if (method.getName().equals("executeQuery")) {
              headQueries.incrementAndGet();
            }
            return call(ps, method, args);
          });
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    @Override
    public void release(Connection connection, boolean broken) {
      released.add(broken);
      outstanding--;
      real.release(current, broken);
    }

    @Override
    public void close() {
      closed = true;
      real.close();
    }
  }
}
