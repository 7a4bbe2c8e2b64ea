package dev.livestate.server.adapter.nativews;

import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import java.util.List;

/** The native protocol's settings, read once at start. */
public record NativeConfig(String path, String token) {
  public static final Setting<String> PATH =
      Setting.string("native.path", "/ws", "Path of the native WebSocket protocol");
  public static final Setting<String> TOKEN =
      Setting.string("native.token", "",
          "Shared secret native clients must present in hello (empty: no auth)").asSecret();

  public static List<Setting<?>> settings() {
    return List.of(PATH, TOKEN);
  }

  public static NativeConfig from(Settings s) {
    return new NativeConfig(s.get(PATH), s.get(TOKEN));
  }
}
