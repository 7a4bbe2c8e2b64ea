package dev.livestate.server;

import dev.livestate.store.Store;
import java.util.List;
import java.util.Map;

/**
 * One protocol surface of the server (the native protocol, UI sync, status messages, ...). A
 * surface translates its protocol to engine calls and back, and nothing more. It is built from
 * its own typed config (see {@link Surfaces}), mounted once, and closed at shutdown.
 */
public interface Surface {

  /** A short name for logs and docs, e.g. {@code native}. */
  String name();

  /**
   * Named stores this surface's rooms select with {@code RoomConfig.withStore(name)}, opened
   * when the surface was built; the engine closes them.
   */
  default Map<String, Store> stores() {
    return Map.of();
  }

  /** Adds routes and starts whatever the surface runs. Called once, before listening. */
  void mount(ServerContext context);

  /** The paths it serves, for the start-up log, e.g. {@code ws://{base}/ws}. */
  default List<String> endpoints() {
    return List.of();
  }

  /** Stops gracefully: stop taking work, let connections drain. */
  default void close() {}
}
