package dev.livestate.store.jdbc;

import dev.livestate.store.MemoryStore;
import dev.livestate.store.Store;
import java.nio.file.Path;

/** Placeholder until the JDBC stores land: delegates to memory. */
public final class JdbcStore {
  private JdbcStore() {}

  public static Store sqlite(Path file, boolean fullSync) {
    return new MemoryStore();
  }

  public static Store connect(String url, String user, String password) {
    return new MemoryStore();
  }

  public static Store connect(String url, String user, String password, String tablePrefix) {
    return new MemoryStore();
  }
}
