package dev.livestate.server.adapter.nativews;

import dev.livestate.server.auth.AuthConfig;
import dev.livestate.server.config.ServerSettings;
import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import dev.livestate.server.http.Origins;
import java.util.List;

/**
 * The native door's settings, read once at start: the WebSocket's path, and the pages that may
 * use the door (the WebSocket and the HTTP API). Who may connect is the auth settings'.
 */
public record NativeConfig(String path, Origins origins) {
  /** What {@code auto} means in open mode: only this server's pages and this machine's. */
  static final String OPEN_MODE_ORIGINS = "same-origin, localhost";

  public static final Setting<String> PATH =
      Setting.string("native.path", "/ws", "Path of the native WebSocket protocol");
  public static final Setting<String> ORIGINS =
      Setting.string("native.origins", "auto",
          "Pages (browser origins) that may use the native WebSocket and the HTTP API: *, none,"
              + " or a list of same-origin, localhost and origins like https://app.example.org."
              + " auto: same-origin, localhost in open mode (no page elsewhere may drive a"
              + " developer's server); * in token mode (a page needs a token anyway)");

  public static List<Setting<?>> settings() {
    return List.of(PATH, ORIGINS);
  }

  public static NativeConfig from(Settings s) {
    String origins = Origins.spelled(s, ORIGINS, ServerSettings.CORS_ORIGINS).trim();
    if (origins.equalsIgnoreCase("auto")) {
      origins = AuthConfig.from(s).tokens() ? "*" : OPEN_MODE_ORIGINS;
    }
    return new NativeConfig(s.get(PATH), Origins.parse(ORIGINS.key(), origins));
  }
}
