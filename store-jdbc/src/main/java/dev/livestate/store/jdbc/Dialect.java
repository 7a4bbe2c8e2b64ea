package dev.livestate.store.jdbc;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What differs between the databases: the schema file and the upsert syntax. Everything else is
 * plain SQL that all three accept.
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

  String schemaResource() {
    return "schema/" + name().toLowerCase(Locale.ROOT) + ".sql";
  }

  /** An INSERT of {@code columns} that, when a row with the same {@code key} exists, updates it. */
  String upsert(String table, List<String> key, List<String> columns) {
    String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
        + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    List<String> updated = columns.stream().filter(c -> !key.contains(c)).toList();
    if (this == MARIADB) {
      // VALUES(col) is deprecated in MySQL 8.0.20+ but still accepted; MariaDB has no alias form.
      return insert + " ON DUPLICATE KEY UPDATE "
          + updated.stream().map(c -> c + " = VALUES(" + c + ")").collect(Collectors.joining(", "));
    }
    return insert + " ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET "
        + updated.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
  }
}
