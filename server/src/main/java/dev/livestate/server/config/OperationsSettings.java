package dev.livestate.server.config;

import java.time.Duration;
import java.util.List;

/** The settings of what operators use: readiness, shutdown's order, the logs' format. */
public final class OperationsSettings {
  private OperationsSettings() {}

  /** How log lines are written. */
  public enum LogFormat { TEXT, JSON }

  public static final Setting<LogFormat> LOG_FORMAT =
      Setting.choice("log-format", LogFormat.TEXT,
          "Log lines as text, or as JSON objects one a line (time, level, logger, message, and"
              + " room and client where the line is about one)");
  public static final Setting<Duration> READY_TIMEOUT =
      Setting.duration("ready.timeout", "2s",
          "How long GET /ready waits for every store to commit its probe before answering 503");
  public static final Setting<Duration> UNREADY_DELAY =
      Setting.duration("shutdown.unready-delay", "0s",
          "How long shutdown answers 503 at /ready before it closes connections, so a load"
              + " balancer stops sending new clients first");

  public static List<Setting<?>> all() {
    return List.of(LOG_FORMAT, READY_TIMEOUT, UNREADY_DELAY);
  }
}
