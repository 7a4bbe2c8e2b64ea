package dev.livestate.server.store;

/** Where the server keeps its durable rooms (setting {@code store}). */
public sealed interface StoreLocation {

  /** The embedded SQLite file {@code livestate.db} in the data directory. */
  record Sqlite() implements StoreLocation {}

  /** Nowhere: nothing survives a restart. */
  record Memory() implements StoreLocation {}

  /** A database server (MariaDB/MySQL or PostgreSQL) by its JDBC URL. */
  record Database(String url) implements StoreLocation {}

  static StoreLocation parse(String text) {
    String t = text.trim();
    if (t.equals("sqlite")) {
      return new Sqlite();
    }
    if (t.equals("memory")) {
      return new Memory();
    }
    if (t.startsWith("jdbc:")) {
      return new Database(t);
    }
    throw new IllegalArgumentException("expected sqlite, memory or a jdbc: URL"
        + " (jdbc:mariadb://..., jdbc:mysql://..., jdbc:postgresql://...)");
  }
}
