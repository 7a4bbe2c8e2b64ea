package dev.livestate.server.adapter.meet;

import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import java.time.Duration;
import java.util.List;

/** The live-meet surface's settings (OpenLifter), read once at start. */
public record MeetConfig(String path, Duration sessionTtl, Duration finishedRetention,
    Duration purgeInterval, int scryptCost, int maxFailedJoinsPerAddress,
    int maxFailedJoinsPerMeet, Duration failedJoinWindow, int retainOps, Smtp smtp) {

  /** How publish confirmations are mailed; {@code host} empty: they are not. */
  public record Smtp(String host, int port, String from, String user, String password,
      SmtpSecurity security) {}

  /** SMTP transport security. */
  public enum SmtpSecurity {
    /** Plain text. */
    NONE,
    /** STARTTLS, required. */
    STARTTLS,
    /** Implicit TLS from the first byte. */
    TLS
  }

  public static final Setting<String> PATH =
      Setting.string("meet.path", "/meet", "Path of the OpenLifter live-meet WebSocket");
  public static final Setting<Duration> SESSION_TTL =
      Setting.duration("meet.session-ttl", "7d", "How long a meet session token stays valid");
  public static final Setting<Duration> FINISHED_RETENTION =
      Setting.duration("meet.finished-retention", "30d",
          "How long a published (finished) meet is kept before it is purged");
  public static final Setting<Duration> PURGE_INTERVAL =
      Setting.duration("meet.purge-interval", "1h",
          "How often finished meets past their retention are looked for");
  public static final Setting<Integer> SCRYPT_COST =
      Setting.integer("meet.scrypt-log2n", 15,
          "scrypt cost as log2(N) for meet passwords (r=8, p=1; 15 = 32 MiB, ~100 ms per hash)");
  public static final Setting<Integer> MAX_FAILED_JOINS_PER_ADDRESS =
      Setting.integer("meet.max-failed-joins-per-address", 10,
          "Failed JOIN_MEETs one remote address may make per window before it is refused");
  public static final Setting<Integer> MAX_FAILED_JOINS_PER_MEET =
      Setting.integer("meet.max-failed-joins-per-meet", 50,
          "Failed JOIN_MEETs one meet may receive per window before joins to it are refused");
  public static final Setting<Duration> FAILED_JOIN_WINDOW =
      Setting.duration("meet.failed-join-window", "15m", "Window of the failed-join limits");
  public static final Setting<Integer> RETAIN_OPS =
      Setting.integer("meet.retain-ops", 1_000_000,
          "Updates of a meet kept for CLIENT_PULL and the log download");
  public static final Setting<String> SMTP_HOST =
      Setting.string("meet.smtp.host", "", "SMTP host for publish confirmations (empty: no email)");
  public static final Setting<Integer> SMTP_PORT =
      Setting.integer("meet.smtp.port", 587, "SMTP port");
  public static final Setting<String> SMTP_FROM =
      Setting.string("meet.smtp.from", "livestate@localhost", "Sender address of confirmations");
  public static final Setting<String> SMTP_USER =
      Setting.string("meet.smtp.user", "", "SMTP user (empty: no authentication)");
  public static final Setting<String> SMTP_PASSWORD =
      Setting.string("meet.smtp.password", "", "SMTP password").asSecret();
  public static final Setting<SmtpSecurity> SMTP_SECURITY =
      Setting.choice("meet.smtp.security", SmtpSecurity.STARTTLS,
          "SMTP transport security: none, starttls (required) or tls (implicit)");

  public static MeetConfig from(Settings s) {
    return new MeetConfig(s.get(PATH), s.get(SESSION_TTL), s.get(FINISHED_RETENTION),
        s.get(PURGE_INTERVAL), s.get(SCRYPT_COST), s.get(MAX_FAILED_JOINS_PER_ADDRESS),
        s.get(MAX_FAILED_JOINS_PER_MEET), s.get(FAILED_JOIN_WINDOW), s.get(RETAIN_OPS),
        new Smtp(s.get(SMTP_HOST), s.get(SMTP_PORT), s.get(SMTP_FROM), s.get(SMTP_USER),
            s.get(SMTP_PASSWORD), s.get(SMTP_SECURITY)));
  }

  public static List<Setting<?>> settings() {
    return List.of(PATH, SESSION_TTL, FINISHED_RETENTION, PURGE_INTERVAL, SCRYPT_COST,
        MAX_FAILED_JOINS_PER_ADDRESS, MAX_FAILED_JOINS_PER_MEET, FAILED_JOIN_WINDOW, RETAIN_OPS,
        SMTP_HOST, SMTP_PORT, SMTP_FROM, SMTP_USER, SMTP_PASSWORD, SMTP_SECURITY);
  }
}
