package dev.livestate.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Creates a store's tables when they are missing, from the dialect's {@code .sql} file, and adds
 * to tables made by an earlier version the columns they lack.
 */
final class Schema {
  /** A column added to a table after the table was first released. */
  record AddedColumn(Table table, String name, String type) {}

  /** The columns a database made by an earlier version may lack; every dialect takes the types. */
  static final List<AddedColumn> ADDED = List.of(
      new AddedColumn(Table.ENTRIES, "place_seq", "BIGINT"),
      new AddedColumn(Table.ENTRIES, "place_index", "INTEGER"),
      new AddedColumn(Table.ROOMS, "owner_gen", "BIGINT NOT NULL DEFAULT 0"));

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_]{0,32}");
  /** Best first: binary and NO PAD (MariaDB, then MySQL 8); utf8mb4_bin pads trailing spaces. */
  private static final List<String> COLLATIONS =
      List.of("utf8mb4_nopad_bin", "utf8mb4_0900_bin", "utf8mb4_bin");

  private Schema() {}

  /** Checks a table prefix: it is pasted into SQL, so only letters, digits and underscores. */
  static String checkPrefix(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "table prefix must be at most 32 letters, digits or underscores: '" + prefix + "'");
    }
    return prefix;
  }

  static void create(Connection connection, Dialect dialect, String prefix) throws SQLException {
    String lock = "livestate schema " + prefix;
    if (dialect.schemaLock() != null && !ask(connection, dialect.schemaLock(), lock)) {
      throw new SQLException("another process has been creating the tables of prefix '" + prefix
          + "' for 60 s");
    }
    try {
      createLocked(connection, dialect, prefix);
    } finally {
      if (dialect.schemaUnlock() != null) {
        ask(connection, dialect.schemaUnlock(), lock);
      }
    }
  }

  private static void createLocked(Connection connection, Dialect dialect, String prefix)
      throws SQLException {
    String text = resource(dialect.schemaResource()).replace("${prefix}", prefix);
    if (dialect == Dialect.MARIADB) {
      text = text.replace("${collation}", collation(connection));
    }
    try (Statement s = connection.createStatement()) {
      for (String sql : statements(text)) {
        s.execute(sql);
      }
      for (AddedColumn column : ADDED) {
        String table = column.table().in(prefix);
        if (!hasColumn(connection, dialect, table, column.name())) {
          s.execute("ALTER TABLE " + table + " ADD COLUMN " + column.name() + " " + column.type());
        }
      }
    }
    connection.commit();
  }

  private static boolean hasColumn(Connection connection, Dialect dialect, String table,
      String column) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(dialect.hasColumn())) {
      ps.setString(1, table);
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Whether a query of one parameter answers 1. */
  private static boolean ask(Connection connection, String query, String parameter)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(query)) {
      ps.setString(1, parameter);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getInt(1) == 1;
      }
    }
  }

  /** The statements of a schema file: comments dropped, split at semicolons. */
  static List<String> statements(String text) {
    StringBuilder code = new StringBuilder();
    for (String line : text.split("\n")) {
      int comment = line.indexOf("--");
      code.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
    }
    List<String> statements = new ArrayList<>();
    for (String sql : code.toString().split(";")) {
      if (!sql.isBlank()) {
        statements.add(sql.strip());
      }
    }
    return statements;
  }

  private static String collation(Connection connection) throws SQLException {
    List<String> present = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SHOW COLLATION LIKE 'utf8mb4%bin'")) {
      while (rs.next()) {
        present.add(rs.getString(1));
      }
    }
    return COLLATIONS.stream().filter(present::contains).findFirst().orElse("utf8mb4_bin");
  }

  private static String resource(String name) {
    try (InputStream in = Schema.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing schema resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
