package dev.livestate.store.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What differs between the databases: the schema file, the upsert syntax and how to look up a
 * column. Everything else is plain SQL that all three accept.
 */
enum Dialect {
  SQLITE,
  MARIADB,
  POSTGRESQL;

  /** The dialect of a JDBC URL; MySQL servers are spoken to as MariaDB. */
  static Dialect of(String url) {
    if (url.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
      return MARIADB;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("unsupported store URL '" + url
        + "' (jdbc:sqlite:, jdbc:mariadb:, jdbc:mysql:, jdbc:postgresql:)");
  }

  /**
   * The URL to hand the driver: the MariaDB driver is the only MySQL-protocol driver we ship and
   * it refuses the {@code jdbc:mysql:} scheme unless asked to accept it.
   */
  static String driverUrl(String url) {
    return url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length())
        : url;
  }

  /** The longest room name the schema holds, in characters (MariaDB keys are VARCHAR). */
  int maxRoomLength() {
    return this == MARIADB ? 255 : Integer.MAX_VALUE;
  }

  /** The longest state or attribute key the schema holds, in characters. */
  int maxKeyLength() {
    return this == MARIADB ? 500 : Integer.MAX_VALUE;
  }

  /**
   * What ends a SELECT to lock the rows it reads until the transaction ends. SQLite has one
   * writer and locks the whole database for a write transaction, so needs none.
   */
  String lockRow() {
    return this == SQLITE ? "" : " FOR UPDATE";
  }

  /**
   * A query that waits until no other process is making or upgrading the tables of one prefix
   * (its parameter names the lock), or null where the database already makes such work wait.
   * The nodes of a cluster start together on a new database: in PostgreSQL the later of two
   * concurrent {@code CREATE TABLE IF NOT EXISTS} fails, and two upgrades would both add a column.
   * MariaDB's lock answers 1 once taken; PostgreSQL's is released by the commit.
   */
  String schemaLock() {
    return switch (this) {
      case SQLITE -> null;
      case MARIADB -> "SELECT GET_LOCK(?, 60)";
      case POSTGRESQL -> "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(?))) AS locked";
    };
  }

  /** Releases what {@link #schemaLock} took, where a commit does not. */
  String schemaUnlock() {
    return this == MARIADB ? "SELECT RELEASE_LOCK(?)" : null;
  }

  String schemaResource() {
    return "schema/" + name().toLowerCase(Locale.ROOT) + ".sql";
  }

  /** An INSERT of {@code columns} that, when a row with the same {@code key} exists, updates it. */
  String upsert(String table, List<String> key, List<String> columns) {
    return upsert(table, key, columns, List.of());
  }

  /**
   * An upsert of a state entry: like {@link #upsert(String, List, List)}, except that an existing
   * row's {@code place} columns change only when the row is revived (it was a tombstone, its
   * {@code value} NULL, and the new row holds a value). A live key keeps its place; a new or
   * revived key takes the new one; a tombstone deleted again stays where it was, as in
   * {@link dev.livestate.state.State}.
   */
  String upsert(String table, List<String> key, List<String> columns, List<String> place) {
    String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
        + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    // MariaDB assigns left to right, each assignment seeing those before it: the place is decided
    // while value is still the old one. In the others every old column reads the row as it was.
    String old = this == MARIADB ? "" : table + ".";
    String revived = old + "value IS NULL AND " + inserted("value") + " IS NOT NULL";
    List<String> assignments = new ArrayList<>();
    for (String c : place) {
      assignments.add(c + " = CASE WHEN " + revived + " THEN " + inserted(c) + " ELSE " + old + c
          + " END");
    }
    columns.stream().filter(c -> !key.contains(c) && !place.contains(c))
        .forEach(c -> assignments.add(c + " = " + inserted(c)));
    String update = this == MARIADB ? " ON DUPLICATE KEY UPDATE "
        : " ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET ";
    return insert + update + String.join(", ", assignments);
  }

  /** The value a column would have had in the row the upsert inserts. */
  private String inserted(String column) {
    // VALUES(col) is deprecated in MySQL 8.0.20+ but still accepted; MariaDB has no alias form.
    return this == MARIADB ? "VALUES(" + column + ")" : "excluded." + column;
  }

  /**
   * A query with a row when the table (first parameter, named as the schema names it) has the
   * column (second parameter).
   */
  String hasColumn() {
    return switch (this) {
      case SQLITE -> "SELECT 1 FROM pragma_table_info(?) WHERE name = ?";
      // MySQL has no ADD COLUMN IF NOT EXISTS (MariaDB has), so both ask the catalogue
      case MARIADB -> "SELECT 1 FROM information_schema.COLUMNS"
          + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?";
      // to_regclass finds the table as the store's statements do: on the search path, folded
      case POSTGRESQL -> "SELECT 1 FROM pg_attribute"
          + " WHERE attrelid = to_regclass(?) AND attname = ? AND NOT attisdropped";
    };
  }
}
