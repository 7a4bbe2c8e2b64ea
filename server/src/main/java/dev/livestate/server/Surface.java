package dev.livestate.server;

import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import dev.livestate.store.Store;
import java.util.List;
import java.util.Map;

/**
 * One protocol surface of the server (the native protocol, UI sync, status messages, ...). A
 * surface translates its protocol to engine calls and back, and nothing more.
 */
public interface Surface {

  /** A short name for logs and docs, e.g. {@code native}. */
  String name();

  /** The settings this surface reads; they appear in {@code --help}. */
  default List<Setting<?>> settings() {
    return List.of();
  }

  /**
   * Named stores this surface's rooms select with {@code RoomConfig.withStore(name)}. Called once,
   * before the engine is created (and before {@link #mount}); the engine closes them.
   */
  default Map<String, Store> stores(Settings settings) throws Exception {
    return Map.of();
  }

  /** Adds routes and starts whatever the surface runs. Called once, before listening. */
  void mount(ServerContext context);

  /** The paths it serves, for the start-up log, e.g. {@code ws /ws}. */
  default List<String> endpoints(ServerContext context) {
    return List.of();
  }

  /** Stops gracefully: stop taking work, let connections drain. */
  default void close() {}
}
