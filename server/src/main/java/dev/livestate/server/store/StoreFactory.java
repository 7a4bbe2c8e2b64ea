package dev.livestate.server.store;

import dev.livestate.store.MemoryStore;
import dev.livestate.store.Store;
import dev.livestate.store.jdbc.JdbcStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens stores: the server's own durable one, and any other a surface names (a shared-state
 * service's SQLite file or database). The one place that knows the JDBC stores, so surfaces
 * never depend on store-jdbc. Blocking (it connects); used at start only.
 */
public final class StoreFactory {
  /** The server's own SQLite file in the data directory. */
  public static final String OWN_FILE = "livestate.db";

  private final StoreConfig config;

  public StoreFactory(StoreConfig config) {
    this.config = config;
  }

  public Path dataDir() {
    return config.dataDir();
  }

  /** The store durable rooms live in; {@code memory} when nothing should survive. */
  public Store durable(Store memory) {
    StoreLocation at = config.location();
    if (at instanceof StoreLocation.Database d) {
      return database(d.url(), config.user(), config.password(), JdbcStore.DEFAULT_PREFIX);
    }
    return at instanceof StoreLocation.Sqlite ? sqlite(config.dataDir().resolve(OWN_FILE)) : memory;
  }

  /** A SQLite file store (its directory is made if missing), as durable as the server's own. */
  public Store sqlite(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the directory of " + file, e);
    }
    return JdbcStore.sqlite(file, config.durability() == Durability.FULL);
  }

  /** A database server's store in the tables named {@code tablePrefix + "rooms"} and so on. */
  public Store database(String url, String user, String password, String tablePrefix) {
    return JdbcStore.connect(url, user, password, tablePrefix);
  }

  /** Whether {@code file} is the server's own SQLite store. */
  public boolean isOwn(Path file) {
    return config.location() instanceof StoreLocation.Sqlite
        && normal(file).equals(normal(config.dataDir().resolve(OWN_FILE)));
  }

  /** Whether these tables of that database are the server's own store. */
  public boolean isOwn(String url, String tablePrefix) {
    return config.location() instanceof StoreLocation.Database d && d.url().equals(url)
        && tablePrefix.equals(JdbcStore.DEFAULT_PREFIX);
  }

  private static Path normal(Path p) {
    return p.toAbsolutePath().normalize();
  }
}
