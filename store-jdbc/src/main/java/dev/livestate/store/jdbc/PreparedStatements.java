package dev.livestate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer's statements, prepared once per connection and kept across groups: with a group of
 * one or two writes, preparing its handful of statements anew cost about a third of the commit.
 * A different connection (a pool's next one, a reopened SQLite file) starts afresh.
 */
final class PreparedStatements implements AutoCloseable {
  private Connection connection;
  private final Map<String, PreparedStatement> byText = new HashMap<>();

  /** The statement {@code sql} on {@code c}, prepared the first time it is asked for. */
  PreparedStatement on(Connection c, String sql) throws SQLException {
    if (c != connection) {
      close();
      connection = c;
    }
    PreparedStatement ps = byText.get(sql);
    if (ps == null) {
      ps = c.prepareStatement(sql);
      byText.put(sql, ps);
    }
    return ps;
  }

  /** Closes every statement: after a failure, or when the connection is let go. */
  @Override
  public void close() {
    for (PreparedStatement ps : byText.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // The connection is released or discarded next; a statement that will not close is moot.
      }
    }
    byText.clear();
    connection = null;
  }
}
