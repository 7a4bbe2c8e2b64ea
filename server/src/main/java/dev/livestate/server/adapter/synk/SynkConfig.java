package dev.livestate.server.adapter.synk;

import dev.livestate.server.auth.Access;
import dev.livestate.server.config.ServerSettings;
import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import dev.livestate.server.http.Origins;
import java.time.Duration;
import java.util.List;

/** The Supersynk surface's settings, read once at start. */
public record SynkConfig(Duration timeout, long maxBody, Origins origins, Access access) {
  public static final Setting<Duration> TIMEOUT =
      Setting.duration("synk.timeout", "5s",
          "A Supersynk client silent for longer is dropped from its channel");
  public static final Setting<Long> MAX_BODY =
      Setting.bytes("synk.max-body", "2m",
          "Largest Supersynk request body accepted; larger is answered 413");

  public static final Setting<String> ORIGINS = Origins.setting("synk", "Supersynk",
      "any, as the original", "https://app.example.org");
  public static final Setting<Access> ACCESS =
      Setting.choice("synk.access", Access.OPEN,
          "open: anyone reads and posts to every channel, as the original; token:"
              + " Authorization: Bearer with a token granting synk:<channel> (reader to GET, writer"
              + " to POST); the channel list shows the channels it may read");

  public static List<Setting<?>> settings() {
    return List.of(TIMEOUT, MAX_BODY, ORIGINS, ACCESS);
  }

  public static SynkConfig from(Settings s) {
    return new SynkConfig(s.get(TIMEOUT), s.get(MAX_BODY),
        Origins.from(s, ORIGINS, ServerSettings.CORS_ORIGINS), s.get(ACCESS));
  }
}
