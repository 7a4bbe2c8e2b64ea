package dev.livestate.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer's statements, prepared once per connection and kept across groups: with a group of
 * one or two writes, preparing its handful of statements anew cost about a third of the commit.
 * A different connection (a pool's next one, a reopened SQLite file) starts afresh. Statements
 * are never closed here: the writer only moves to another connection after letting the last one
 * go (returned to its pool, or closed after a failure), and JDBC closes a connection's
 * statements with it, half-sent batches included.
 */
final class PreparedStatements {
  private Connection connection;
  private final Map<String, PreparedStatement> byText = new HashMap<>();

  /** The statement {@code sql} on {@code c}, prepared the first time it is asked for. */
  PreparedStatement on(Connection c, String sql) throws SQLException {
    if (c != connection) {
      byText.clear();
      connection = c;
    }
    PreparedStatement ps = byText.get(sql);
    if (ps == null) {
      ps = c.prepareStatement(sql);
      byText.put(sql, ps);
    }
    return ps;
  }
}
