package dev.livestate.server.adapter.uisync;

import dev.livestate.room.Takeover;
import dev.livestate.server.auth.Access;
import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import dev.livestate.server.http.Origins;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** UI sync's settings, read once at start. */
public record UiSyncConfig(String path, Origins origins, Access access, Takeover takeover,
    Duration leaderGrace, Map<String, String> leaderSecrets, long maxMessage,
    Duration pingInterval, Duration pingTimeout, Duration writeDelay) {
  public static final Setting<String> PATH =
      Setting.string("uisync.path", "/socket.io/", "Path of the UI sync Socket.IO endpoint");
  public static final Setting<String> ORIGINS = Origins.setting("uisync",
      "UI sync, polling and WebSocket", "any, without credentials: only origins listed by name"
          + " may send them", "https://www.photonranch.org");
  public static final Setting<String> CORS_ORIGINS =
      Setting.string("uisync.cors-origins", "*", "Deprecated: uisync.origins, when that is not"
          + " given");
  public static final Setting<Access> ACCESS =
      Setting.choice("uisync.access", Access.OPEN,
          "open: any client, as the original; token: a client connects with a token (Socket.IO"
              + " auth {token} or ?token=) granting uisync:<site> (reader to follow, writer for"
              + " ui_change, leader to lead)");
  public static final Setting<Takeover> TAKEOVER =
      Setting.choice("uisync.takeover", Takeover.ALLOW,
          "new_leader at a site that has a leader: allow (the old leader gets confirm_leader_end)"
              + " or refuse (the newcomer gets an error event)");
  public static final Setting<Duration> LEADER_GRACE =
      Setting.duration("uisync.leader-grace", "0s",
          "How long a disconnected leader keeps its site; the same leader (leader.id, else name)"
              + " reconnecting within it takes the site back");
  public static final Setting<Map<String, String>> LEADER_SECRETS =
      new Setting<>("uisync.leader-secrets", "",
          "Leader authentication, off when empty: site=secret pairs, comma-separated; * for every"
              + " site. A leader presents it as new_leader's secret (or token), or as the"
              + " Socket.IO auth token", UiSyncConfig::secrets).asSecret();
  public static final Setting<Long> MAX_MESSAGE =
      Setting.bytes("uisync.max-message", "1m", "Largest Socket.IO message accepted, in bytes");
  public static final Setting<Duration> PING_INTERVAL =
      Setting.duration("uisync.ping-interval", "25s", "Engine.IO heartbeat interval");
  public static final Setting<Duration> PING_TIMEOUT =
      Setting.duration("uisync.ping-timeout", "20s", "Engine.IO heartbeat timeout");
  public static final Setting<Duration> WRITE_DELAY =
      Setting.duration("uisync.write-delay", "33ms",
          "websocket.write-delay for UI sync's WebSocket clients: a follower mirrors a leader's"
              + " screen, so it gets at most one write per this interval (about 30 a second),"
              + " carrying every change since the last; a quiet follower gets the next at once."
              + " 0 writes every change at once");

  public static List<Setting<?>> settings() {
    return List.of(PATH, ORIGINS, CORS_ORIGINS, ACCESS, TAKEOVER, LEADER_GRACE, LEADER_SECRETS,
        MAX_MESSAGE, PING_INTERVAL, PING_TIMEOUT, WRITE_DELAY);
  }

  public static UiSyncConfig from(Settings s) {
    return new UiSyncConfig(s.get(PATH),
        Origins.from(s, ORIGINS, CORS_ORIGINS), s.get(ACCESS),
        s.get(TAKEOVER),
        s.get(LEADER_GRACE), s.get(LEADER_SECRETS), s.get(MAX_MESSAGE), s.get(PING_INTERVAL),
        s.get(PING_TIMEOUT), s.get(WRITE_DELAY));
  }

  /** {@code site=secret} pairs, comma-separated; {@code *} names every site. */
  static Map<String, String> secrets(String spec) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : spec.split(",")) {
      String p = pair.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0 || eq == p.length() - 1) {
        throw new IllegalArgumentException("expected site=secret, got " + p);
      }
      out.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
    }
    return Map.copyOf(out);
  }
}
