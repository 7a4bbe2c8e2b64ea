package dev.livestate.store.jdbc;

import dev.livestate.store.Store;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The store contract against a database server: each subclass names its database, whose tables
 * for this JVM {@link ServerDatabase} makes and drops.
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
}
