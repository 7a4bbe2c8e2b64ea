package dev.livestate.server.http;

import dev.livestate.server.config.ServerSettings;
import dev.livestate.server.config.Settings;
import java.time.Duration;

/**
 * Limits every surface enforces.
 *
 * @param maxMessageBytes the largest WebSocket message or HTTP body accepted
 * @param maxJsonDepth the deepest JSON nesting accepted
 * @param maxQueuedBytes outbound bytes a connection may have queued before it is dropped
 * @param maxRoomsPerConnection rooms one connection may be in at once
 * @param writeDelayNanos the longest an outbound WebSocket message waits so that messages to the
 *     same client share one write (0: every message is written at once)
 */
public record Limits(long maxMessageBytes, int maxJsonDepth, long maxQueuedBytes,
    int maxRoomsPerConnection, long writeDelayNanos) {
  public static Limits from(Settings s) {
    return new Limits(s.get(ServerSettings.MAX_MESSAGE), s.get(ServerSettings.MAX_JSON_DEPTH),
        s.get(ServerSettings.MAX_QUEUED), s.get(ServerSettings.MAX_ROOMS_PER_CONNECTION),
        s.get(ServerSettings.WRITE_DELAY).toNanos());
  }

  /** These limits with another write delay (a surface whose clients want a pace of their own). */
  public Limits withWriteDelay(Duration delay) {
    return new Limits(maxMessageBytes, maxJsonDepth, maxQueuedBytes, maxRoomsPerConnection,
        delay.toNanos());
  }
}
