package dev.livestate.store.jdbc;

import dev.livestate.store.Store;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The store contract against a database server: each subclass names its database, and drops the
 * tables its run made in an {@code @AfterAll} through {@link #dropTablesOf}.
 */
abstract class ServerDatabaseContract extends JdbcStoreContract {

  abstract ServerDatabase database();

  @Override
  protected Store open() throws Exception {
    ServerDatabase db = database();
    db.require();
    Store s = connect(db);
    db.clear();
    return s;
  }

  @Override
  protected Store reopen() {
    store.close();
    return connect(database());
  }

  @Override
  Connection tables() throws SQLException {
    return database().connection();
  }

  @Override
  String prefix() {
    return database().prefix;
  }

  private static Store connect(ServerDatabase db) {
    return JdbcStore.connect(db.url, db.user, db.password, db.prefix);
  }

  /** Drops the run's tables if the database was reached at all. */
  static void dropTablesOf(ServerDatabase db) throws Exception {
    if (db.reached()) {
      db.dropTables();
    }
  }
}
