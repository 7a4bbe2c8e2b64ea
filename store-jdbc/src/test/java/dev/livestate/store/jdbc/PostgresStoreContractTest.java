package dev.livestate.store.jdbc;

import org.junit.jupiter.api.AfterAll;

class PostgresStoreContractTest extends ServerDatabaseContract {
  private static final ServerDatabase DB = ServerDatabase.postgres();

  @Override
  ServerDatabase database() {
    return DB;
  }

  @AfterAll
  static void dropTables() throws Exception {
    dropTablesOf(DB);
  }
}
