package dev.livestate.store.jdbc;

import dev.livestate.store.Store;
import dev.livestate.testkit.store.StoreFencingContract;
import org.junit.jupiter.api.AfterAll;

/** Two nodes' stores on one set of tables in MariaDb: fencing decides which one writes a room. */
class MariaDbFencingContractTest extends StoreFencingContract {
  private static final ServerDatabase DB = ServerDatabase.MARIADB;

  @Override
  protected Store open() throws Exception {
    DB.require();
    Store s = openOther();
    DB.clear();
    return s;
  }

  @Override
  protected Store reopen() {
    store.close();
    return openOther();
  }

  @Override
  protected Store openOther() {
    return JdbcStore.connect(DB.url, DB.user, DB.password, DB.prefix);
  }

  @AfterAll
  static void dropTables() throws Exception {
    ServerDatabaseContract.dropTablesOf(DB);
  }
}
