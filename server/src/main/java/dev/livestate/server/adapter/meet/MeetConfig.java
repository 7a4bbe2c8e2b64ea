package dev.livestate.server.adapter.meet;

import dev.livestate.server.config.ServerSettings;
import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import dev.livestate.server.http.Origins;
import java.time.Duration;
import java.util.List;

/**
 * The live-meet surface's settings (OpenLifter), read once at start.
 *
 * @param maxConcurrentHashes 0: one per core
 */
public record MeetConfig(String path, Duration sessionTtl, Duration finishedRetention,
    Duration purgeInterval, int scryptCost, int maxFailedJoinsPerAddress,
    Duration failedJoinWindow, Duration passwordCheckInterval, int passwordCheckBurst,
    int maxCreatesPerAddress, Duration createWindow, int maxConcurrentHashes,
    int maxQueuedHashes, int retainOps, Smtp smtp, Origins origins) {

  public MeetConfig {
    if (maxFailedJoinsPerAddress < 1 || maxCreatesPerAddress < 1 || passwordCheckBurst < 1) {
      throw new IllegalArgumentException("meet.max-failed-joins-per-address, "
          + "meet.max-creates-per-address and meet.password-check-burst must be at least 1");
    }
    if (maxConcurrentHashes < 0 || maxQueuedHashes < 0 || passwordCheckInterval.isNegative()) {
      throw new IllegalArgumentException("meet.max-concurrent-hashes, meet.max-queued-hashes "
          + "and meet.password-check-interval must not be negative");
    }
  }

  /** The scrypt computations that may run at once: the setting, or one per core. */
  public int hashingThreads() {
    return maxConcurrentHashes > 0 ? maxConcurrentHashes
        : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

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
          "JOIN_MEETs one remote address (an IPv6 /64) may have failed in the window plus have "
              + "in flight; past it, its joins are refused before any password check");
  public static final Setting<Duration> FAILED_JOIN_WINDOW =
      Setting.duration("meet.failed-join-window", "15m",
          "Window of meet.max-failed-joins-per-address");
  public static final Setting<Duration> PASSWORD_CHECK_INTERVAL =
      Setting.duration("meet.password-check-interval", "1s",
          "Per meet, once its burst is spent, at most one JOIN_MEET password check starts per "
              + "interval; waiting checks are taken round-robin across remote addresses");
  public static final Setting<Integer> PASSWORD_CHECK_BURST =
      Setting.integer("meet.password-check-burst", 5,
          "Password checks a meet may start back to back before meet.password-check-interval "
              + "applies");
  public static final Setting<Integer> MAX_CREATES_PER_ADDRESS =
      Setting.integer("meet.max-creates-per-address", 10,
          "CREATE_MEETs one remote address (an IPv6 /64) may make per meet.create-window, those "
              + "in flight included");
  public static final Setting<Duration> CREATE_WINDOW =
      Setting.duration("meet.create-window", "1h", "Window of meet.max-creates-per-address");
  public static final Setting<Integer> MAX_CONCURRENT_HASHES =
      Setting.integer("meet.max-concurrent-hashes", 0,
          "scrypt computations (CREATE_MEET and JOIN_MEET together) running at once, each "
              + "holding 128*r*N bytes (32 MiB at the default cost); 0: one per core");
  public static final Setting<Integer> MAX_QUEUED_HASHES =
      Setting.integer("meet.max-queued-hashes", 64,
          "scrypt computations that may wait for a free thread; past it, requests are refused "
              + "with 'server busy, try again'");
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

  public static final Setting<String> ORIGINS = Origins.setting("meet",
      "live meets (the WebSocket and the downloads)", "any: OpenLifter runs on its own origin",
      "https://www.openlifter.com");

  public static MeetConfig from(Settings s) {
    return new MeetConfig(s.get(PATH), s.get(SESSION_TTL), s.get(FINISHED_RETENTION),
        s.get(PURGE_INTERVAL), s.get(SCRYPT_COST), s.get(MAX_FAILED_JOINS_PER_ADDRESS),
        s.get(FAILED_JOIN_WINDOW), s.get(PASSWORD_CHECK_INTERVAL), s.get(PASSWORD_CHECK_BURST),
        s.get(MAX_CREATES_PER_ADDRESS), s.get(CREATE_WINDOW), s.get(MAX_CONCURRENT_HASHES),
        s.get(MAX_QUEUED_HASHES), s.get(RETAIN_OPS),
        new Smtp(s.get(SMTP_HOST), s.get(SMTP_PORT), s.get(SMTP_FROM), s.get(SMTP_USER),
            s.get(SMTP_PASSWORD), s.get(SMTP_SECURITY)),
        Origins.from(s, ORIGINS, ServerSettings.CORS_ORIGINS));
  }

  public static List<Setting<?>> settings() {
    return List.of(PATH, SESSION_TTL, FINISHED_RETENTION, PURGE_INTERVAL, SCRYPT_COST,
        MAX_FAILED_JOINS_PER_ADDRESS, FAILED_JOIN_WINDOW, PASSWORD_CHECK_INTERVAL,
        PASSWORD_CHECK_BURST, MAX_CREATES_PER_ADDRESS, CREATE_WINDOW, MAX_CONCURRENT_HASHES,
        MAX_QUEUED_HASHES, RETAIN_OPS, SMTP_HOST, SMTP_PORT, SMTP_FROM, SMTP_USER, SMTP_PASSWORD,
        SMTP_SECURITY, ORIGINS);
  }
}
