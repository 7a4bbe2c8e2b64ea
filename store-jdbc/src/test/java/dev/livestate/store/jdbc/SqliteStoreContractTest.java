package dev.livestate.store.jdbc;

import dev.livestate.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreContractTest extends JdbcStoreContract {
  @TempDir
  Path dir;

  @Override
  protected Store open() {
    return JdbcStore.sqlite(file(), false);
  }

  @Override
  protected Store reopen() {
    store.close();
    return open();
  }

  /** A second connection reads the WAL file beside the store's without blocking its writer. */
  @Override
  Connection tables() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file());
  }

  @Override
  String prefix() {
    return "";
  }

  private Path file() {
    return dir.resolve("contract.db");
  }
}
