package dev.livestate.server.adapter.sharedstate;

import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import java.util.List;

/** The shared-state surface's settings, read once at start. */
public record SharedStateConfig(String path, String servicesFile, long maxMessage) {
  public static final Setting<String> PATH =
      Setting.string("sharedstate.path", "/sharedstate",
          "Path of the shared-state WebSocket (clients connect to ws://host:port<path>)");
  public static final Setting<String> CONFIG =
      Setting.string("sharedstate.config", "",
          "Shared-state services file in the original server's format ({\"services\": [...]});"
              + " empty: services items (durable store) and mitems (memory)");
  public static final Setting<Long> MAX_MESSAGE =
      Setting.bytes("sharedstate.max-message", "2m",
          "Largest shared-state request served; larger ones (up to limits.max-message) get"
              + " ok:false");

  public static List<Setting<?>> settings() {
    return List.of(PATH, CONFIG, MAX_MESSAGE);
  }

  public static SharedStateConfig from(Settings s) {
    return new SharedStateConfig(s.get(PATH), s.get(CONFIG), s.get(MAX_MESSAGE));
  }
}
