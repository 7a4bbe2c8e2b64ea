package dev.livestate.store.jdbc;

import dev.livestate.testkit.database.Prerequisite;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database server the tests use if it is running: without it they are skipped, except on CI
 * where they fail ({@link Prerequisite}).
 */
final class ServerDatabase {
  final String url;
  final String user;
  final String password;
  /** Unique per run, so concurrent runs on one server never see each other's tables. */
  final String prefix = "t" + HexFormat.of().formatHex(randomBytes()) + "_";

  private ServerDatabase(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  static final ServerDatabase MARIADB = new ServerDatabase(
      env("LIVESTATE_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test"), "root", "");

  /**
   * PostgreSQL as {@code postgres} (the usual superuser), else as {@code root}. By default its
   * sessions commit without waiting for the WAL flush: the tests check what the store does, not
   * the disk, and each of their many small commits would otherwise wait for an fsync.
   */
  static ServerDatabase postgres() {
    String url = env("LIVESTATE_TEST_POSTGRES_URL",
        "jdbc:postgresql://127.0.0.1:5432/test?options=-c%20synchronous_commit%3Doff");
    ServerDatabase asPostgres = new ServerDatabase(url, "postgres", "");
    return asPostgres.reachable() == null ? asPostgres : new ServerDatabase(url, "root", "");
  }

  private boolean checked;
  private SQLException down;

  /** Skips the calling test when the server is down, or fails it on CI. Checks once per run. */
  synchronized void require() {
    if (!checked) {
      down = reachable();
      checked = true;
    }
    if (down == null) {
      return;
    }
    throw Prerequisite.missing(url + " is unreachable as " + user + ": " + down.getMessage());
  }

  /** Whether a test of this run reached the server (so it may have made tables). */
  synchronized boolean reached() {
    return checked && down == null;
  }

  Connection connection() throws SQLException {
    DriverManager.setLoginTimeout(3);
    return DriverManager.getConnection(url, user, password);
  }

  /** Empties this run's tables, which exist once a store has been opened. */
  void clear() throws SQLException {
    run("DELETE FROM ");
  }

  void dropTables() throws SQLException {
    dropTables(prefix);
  }

  void dropTables(String tablePrefix) throws SQLException {
    run("DROP TABLE IF EXISTS ", tablePrefix);
  }

  private void run(String statement) throws SQLException {
    run(statement, prefix);
  }

  private void run(String statement, String tablePrefix) throws SQLException {
    try (Connection c = connection(); Statement s = c.createStatement()) {
      for (Table t : List.of(Table.values())) {
        s.execute(statement + t.in(tablePrefix));
      }
    }
  }

  private SQLException reachable() {
    try (Connection c = connection()) {
      return c.isValid(3) ? null : new SQLException("connection not valid");
    } catch (SQLException e) {
      return e;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }
}
