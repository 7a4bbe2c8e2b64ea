package dev.livestate.store.jdbc;

import org.junit.jupiter.api.AfterAll;

/** Two nodes' stores on one set of tables in Postgres: fencing decides which one writes a room. */
class PostgresFencingContractTest extends ServerDatabaseFencingContract {
  private static final ServerDatabase DB = ServerDatabase.postgres();

  @Override
  ServerDatabase database() {
    return DB;
  }

  @AfterAll
  static void dropTables() throws Exception {
    ServerDatabaseContract.dropTablesOf(DB);
  }
}
