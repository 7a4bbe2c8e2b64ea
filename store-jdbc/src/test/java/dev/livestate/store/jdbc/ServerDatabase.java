package dev.livestate.store.jdbc;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database server the tests use if it is running: without it they are skipped, except on CI
 * ({@code CI=true}, passed by surefire as {@code LIVESTATE_TEST_CI}) where they fail.
 *
 * <p>A JVM's tables live as long as the JVM and are dropped when it exits, not after each test
 * class: PIT runs every test alone, class set-up and tear-down included, and creating and
 * dropping five tables around each would cost more than many a test. A JVM that is killed (PIT
 * does that to a minion that times out) leaves its tables behind; the next run drops those once
 * they are an hour old, which their prefix tells.
 */
final class ServerDatabase {
  final String url;
  final String user;
  final String password;
  private static final Pattern OURS = Pattern.compile("t([0-9a-f]{8})[0-9a-f]{4}_rooms");
  private static final long STALE_SECONDS = 3_600;

  /**
   * Unique per JVM, so concurrent runs on one server never see each other's tables: "t", the
   * start time in seconds as 8 hex digits, 4 random hex digits, "_".
   */
  final String prefix = "t" + String.format("%08x", System.currentTimeMillis() / 1000)
      + HexFormat.of().formatHex(randomBytes()) + "_";

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

  static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"))
        || "true".equalsIgnoreCase(System.getenv("LIVESTATE_TEST_CI"));
  }

  private boolean checked;
  private SQLException down;

  /** Skips the calling test when the server is down, or fails it on CI. Checks once per run. */
  synchronized void require() {
    if (!checked) {
      down = reachable();
      checked = true;
      if (down == null) {
        dropStaleTables();
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropTablesQuietly));
      }
    }
    if (down == null) {
      return;
    }
    String why = url + " is unreachable as " + user + ": " + down.getMessage();
    if (onCi()) {
      fail(why);
    }
    assumeTrue(false, why);
  }

  Connection connection() throws SQLException {
    DriverManager.setLoginTimeout(3);
    return DriverManager.getConnection(url, user, password);
  }

  /** Empties this run's tables, which exist once a store has been opened. */
  void clear() throws SQLException {
    run("DELETE FROM ");
  }

  private void dropTablesQuietly() {
    try {
      drop(prefix);
    } catch (SQLException e) {
      System.err.println("could not drop the test tables " + prefix + "*: " + e.getMessage());
    }
  }

  /** Drops the tables of runs whose JVM was killed an hour ago or more. */
  private void dropStaleTables() {
    long cutoff = System.currentTimeMillis() / 1000 - STALE_SECONDS;
    List<String> stale = new ArrayList<>();
    try (Connection c = connection();
        ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, "t%", null)) {
      while (rs.next()) {
        Matcher m = OURS.matcher(rs.getString("TABLE_NAME"));
        if (m.matches() && Long.parseLong(m.group(1), 16) < cutoff) {
          stale.add(m.group().substring(0, m.group().length() - "rooms".length()));
        }
      }
      for (String old : stale) {
        drop(old);
      }
    } catch (SQLException e) {
      System.err.println("could not drop stale test tables: " + e.getMessage());
    }
  }

  private void drop(String tablePrefix) throws SQLException {
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
    byte[] b = new byte[2];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }
}
