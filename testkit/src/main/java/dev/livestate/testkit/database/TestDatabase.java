package dev.livestate.testkit.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real database server for a livestate server's JDBC store, with a schema (PostgreSQL) or a
 * database (MariaDB) of its own, so parallel runs never see each other's tables; dropped on
 * close. A test using it is skipped when the database is down, except on CI where it fails
 * ({@link Prerequisite}). The JDBC driver comes from the test's classpath.
 */
public final class TestDatabase implements AutoCloseable {
  /** The URL to give the server as {@code --store}: it points into the private schema. */
  public final String url;
  public final String user;
  public final String name;
  private final String adminUrl;
  private final boolean postgres;

  private TestDatabase(String adminUrl, String user, boolean postgres) throws SQLException {
    this.adminUrl = adminUrl;
    this.user = user;
    this.postgres = postgres;
    byte[] b = new byte[6];
    ThreadLocalRandom.current().nextBytes(b);
    this.name = "livestate_t" + HexFormat.of().formatHex(b);
    if (postgres) {
      admin("CREATE SCHEMA " + name);
      url = adminUrl + (adminUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
    } else {
      admin("CREATE DATABASE " + name);
      url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
    }
  }

  public static TestDatabase postgres() {
    return open(env("LIVESTATE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"),
        "postgres", true);
  }

  public static TestDatabase mariadb() {
    return open(env("LIVESTATE_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test"), "root", false);
  }

  private static TestDatabase open(String url, String user, boolean postgres) {
    try {
      return new TestDatabase(url, user, postgres);
    } catch (SQLException e) {
      throw Prerequisite.missing(url + " is unreachable as " + user + ": " + e.getMessage());
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** A connection into the private schema or database. */
  public Connection connect() throws SQLException {
    DriverManager.setLoginTimeout(3);
    return DriverManager.getConnection(url, user, "");
  }

  /** Runs one statement in the private schema or database. */
  public void execute(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private void admin(String sql) throws SQLException {
    DriverManager.setLoginTimeout(3);
    try (Connection c = DriverManager.getConnection(adminUrl, user, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public void close() throws SQLException {
    admin(postgres ? "DROP SCHEMA " + name + " CASCADE" : "DROP DATABASE " + name);
  }
}
