package dev.livestate.store.jdbc;

import dev.livestate.store.Store;
import dev.livestate.store.StoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreContractTest extends StoreContract {
  @TempDir
  Path dir;

  @Override
  protected Store open() {
    return JdbcStore.sqlite(dir.resolve("contract.db"), false);
  }

  @Override
  protected Store reopen() {
    store.close();
    return open();
  }
}
