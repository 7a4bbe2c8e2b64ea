package dev.livestate.server.store;

import dev.livestate.server.config.ServerSettings;
import dev.livestate.server.config.Settings;
import java.nio.file.Path;

/** The server's durable store as configured. */
public record StoreConfig(StoreLocation location, Path dataDir, String user, String password,
    Durability durability) {

  public static StoreConfig from(Settings s) {
    return new StoreConfig(s.get(ServerSettings.STORE), Path.of(s.get(ServerSettings.DATA_DIR)),
        s.get(ServerSettings.STORE_USER), s.get(ServerSettings.STORE_PASSWORD),
        s.get(ServerSettings.STORE_SYNC));
  }
}
