package dev.livestate.server.adapter.synk;

import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import java.time.Duration;
import java.util.List;

/** The Supersynk surface's settings, read once at start. */
public record SynkConfig(Duration timeout, long maxBody) {
  public static final Setting<Duration> TIMEOUT =
      Setting.duration("synk.timeout", "5s",
          "A Supersynk client silent for longer is dropped from its channel");
  public static final Setting<Long> MAX_BODY =
      Setting.bytes("synk.max-body", "2m",
          "Largest Supersynk request body accepted; larger is answered 413");

  public static List<Setting<?>> settings() {
    return List.of(TIMEOUT, MAX_BODY);
  }

  public static SynkConfig from(Settings s) {
    return new SynkConfig(s.get(TIMEOUT), s.get(MAX_BODY));
  }
}
