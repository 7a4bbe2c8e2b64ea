package dev.livestate.server.adapter.userstatus;

import dev.livestate.server.auth.Access;
import dev.livestate.server.config.ServerSettings;
import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import dev.livestate.server.http.Origins;
import java.time.Duration;
import java.util.List;

/** The status-message surface's settings, read once at start. */
public record StatusConfig(String path, Duration ttl, int maxMessages, long maxBody,
    Origins origins, Access access) {
  public static final Setting<String> PATH =
      Setting.string("userstatus.path", "/logs",
          "Path prefix of the status-message endpoints (newlog, recent-logs, onlineusers, ws)");
  public static final Setting<Duration> TTL =
      Setting.duration("userstatus.ttl", "7d", "How long a status message is kept");
  public static final Setting<Integer> MAX_MESSAGES =
      Setting.integer("userstatus.max-messages", 10_000,
          "Status messages kept per site at most (the oldest go first)");
  public static final Setting<Long> MAX_BODY =
      Setting.bytes("userstatus.max-body", "2m",
          "Largest newlog body (HTTP or WebSocket) accepted; larger is answered 413");

  public static final Setting<String> ORIGINS = Origins.setting("userstatus",
      "the status messages, HTTP and WebSocket", "any, as the original",
      "https://www.photonranch.org");
  public static final Setting<Access> ACCESS =
      Setting.choice("userstatus.access", Access.OPEN,
          "open: anyone posts and reads, as the original; token: a token (Authorization: Bearer,"
              + " or ?token= on the WebSocket) granting userstatus:<site>, writer to post");

  public static List<Setting<?>> settings() {
    return List.of(PATH, TTL, MAX_MESSAGES, MAX_BODY, ORIGINS, ACCESS);
  }

  public static StatusConfig from(Settings s) {
    return new StatusConfig(normalise(s.get(PATH)), s.get(TTL), s.get(MAX_MESSAGES),
        s.get(MAX_BODY), Origins.from(s, ORIGINS, ServerSettings.CORS_ORIGINS), s.get(ACCESS));
  }

  /** {@code logs/} and {@code /logs} both mean {@code /logs}; empty is the root. */
  private static String normalise(String path) {
    String p = path.trim();
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() || p.startsWith("/") ? p : "/" + p;
  }
}
