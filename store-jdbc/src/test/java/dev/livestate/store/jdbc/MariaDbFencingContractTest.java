package dev.livestate.store.jdbc;

import org.junit.jupiter.api.AfterAll;

/** Two nodes' stores on one set of tables in MariaDb: fencing decides which one writes a room. */
class MariaDbFencingContractTest extends ServerDatabaseFencingContract {
  private static final ServerDatabase DB = ServerDatabase.MARIADB;

  @Override
  ServerDatabase database() {
    return DB;
  }

  @AfterAll
  static void dropTables() throws Exception {
    ServerDatabaseContract.dropTablesOf(DB);
  }
}
