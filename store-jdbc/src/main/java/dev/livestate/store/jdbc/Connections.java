package dev.livestate.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/**
 * Where a store's writer gets its connection, always with auto-commit off. Only the writer
 * thread uses it, one connection at a time.
 */
interface Connections extends AutoCloseable {
  Connection borrow() throws SQLException;

  /** Gives a connection back; a broken one (its transaction failed) is not used again. */
  void release(Connection connection, boolean broken);

  @Override
  void close();

  /**
   * One SQLite connection, held open so its page cache stays warm, and reopened after a failure.
   * In WAL mode, synchronous=NORMAL loses nothing when the process dies (the WAL is written
   * before a commit returns) but may lose the last commits if the machine loses power; FULL
   * syncs the WAL at every commit, which group commit makes affordable.
   */
  static Connections sqlite(Path file, boolean fullSync) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(fullSync ? SQLiteConfig.SynchronousMode.FULL
        : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(10_000);
    config.setCacheSize(-32_768); // KiB: 32 MiB, so recovery and upserts rarely read the disk
    // Take the write lock when the transaction begins, not when it first writes: no deadlock
    // with an outside reader upgrading its own lock.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    return new Connections() {
      private Connection held;

      @Override
      public Connection borrow() throws SQLException {
        if (held == null) {
          Connection c = DriverManager.getConnection(url, config.toProperties());
          c.setAutoCommit(false);
          held = c;
        }
        return held;
      }

      @Override
      public void release(Connection connection, boolean broken) {
        if (broken) {
          close();
        }
      }

      @Override
      public void close() {
        if (held != null) {
          try {
            held.close();
          } catch (SQLException ignored) {
            // Nothing is pending on it: every transaction was committed or rolled back.
          }
          held = null;
        }
      }
    };
  }

  /**
   * A small HikariCP pool: the writer borrows per group, so a server that restarted or a
   * connection that died is replaced transparently at the next group.
   */
  static Connections pooled(String url, String user, String password, String name) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(Dialect.driverUrl(url));
    config.setUsername(user);
    config.setPassword(password);
    config.setAutoCommit(false);
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(1);
    config.setPoolName(name);
    // A database that is down fails a group after this long, rather than stalling the writer.
    config.setConnectionTimeout(5_000);
    // Not pgjdbc's reWriteBatchedInserts: it folds a batch into one multi-row INSERT, and an
    // ON CONFLICT DO UPDATE that meets the same key twice in one statement is an error, which
    // group commit makes routine (two rooms' ops in a group never collide, one room's often do).
    HikariDataSource pool = new HikariDataSource(config);
    return new Connections() {
      @Override
      public Connection borrow() throws SQLException {
        return pool.getConnection();
      }

      @Override
      public void release(Connection connection, boolean broken) {
        try {
          if (broken) {
            pool.evictConnection(connection);
          } else {
            connection.close();
          }
        } catch (SQLException ignored) {
          // Returning a connection to the pool does not fail in a way we could act on.
        }
      }

      @Override
      public void close() {
        pool.close();
      }
    };
  }
}
