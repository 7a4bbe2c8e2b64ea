package dev.livestate.server.adapter.sharedstate;

import dev.livestate.server.auth.Access;
import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import dev.livestate.server.http.Origins;
import java.util.List;

/** The shared-state surface's settings, read once at start. */
public record SharedStateConfig(String path, String servicesFile, long maxMessage,
    Origins origins, Access access) {
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

  public static final Setting<String> ORIGINS = Origins.setting("sharedstate",
      "the shared-state WebSocket", "any, as the original", "https://app.example.org");
  public static final Setting<Access> ACCESS =
      Setting.choice("sharedstate.access", Access.OPEN,
          "open: anyone reads and writes every collection, as the original; token: the"
              + " WebSocket is opened with ?token= granting sharedstate:/app/service/collection"
              + " (reader to GET and subscribe, writer to PUT)");

  public static List<Setting<?>> settings() {
    return List.of(PATH, CONFIG, MAX_MESSAGE, ORIGINS, ACCESS);
  }

  public static SharedStateConfig from(Settings s) {
    return new SharedStateConfig(s.get(PATH), s.get(CONFIG), s.get(MAX_MESSAGE),
        Origins.from(s, ORIGINS), s.get(ACCESS));
  }
}
