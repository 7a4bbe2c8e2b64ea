package dev.livestate.server.adapter.nativews;

import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import java.util.List;

/** The native protocol's settings, read once at start. Who may connect is the auth settings'. */
public record NativeConfig(String path) {
  public static final Setting<String> PATH =
      Setting.string("native.path", "/ws", "Path of the native WebSocket protocol");

  public static List<Setting<?>> settings() {
    return List.of(PATH);
  }

  public static NativeConfig from(Settings s) {
    return new NativeConfig(s.get(PATH));
  }
}
