package dev.livestate.store.jdbc;

import dev.livestate.store.Store;
import dev.livestate.store.StoreContract;
import org.junit.jupiter.api.AfterAll;

class PostgresStoreContractTest extends StoreContract {
  private static final ServerDatabase DB = ServerDatabase.postgres();
  private static boolean opened;

  @Override
  protected Store open() throws Exception {
    DB.require();
    Store s = JdbcStore.connect(DB.url, DB.user, DB.password, DB.prefix);
    opened = true;
    DB.clear();
    return s;
  }

  @Override
  protected Store reopen() {
    store.close();
    return JdbcStore.connect(DB.url, DB.user, DB.password, DB.prefix);
  }

  @AfterAll
  static void dropTables() throws Exception {
    if (opened) {
      DB.dropTables();
    }
  }
}
