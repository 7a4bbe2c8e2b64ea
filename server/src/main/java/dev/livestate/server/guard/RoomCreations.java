package dev.livestate.server.guard;

import dev.livestate.access.RateLimit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts rooms created, per client and against the server's cap, whatever door they come
 * through. Thread-safe.
 */
public final class RoomCreations {
  private final Quotas quotas;
  private final Map<String, RateLimit> perClient = new ConcurrentHashMap<>();

  public RoomCreations(Quotas quotas) {
    this.quotas = quotas;
  }

  /**
   * Counts one creation by {@code client} at {@code now} (nanoseconds) on a server that holds
   * {@code rooms} rooms. Returns null when it may go ahead, else why not (for the client).
   */
  public String take(String client, int rooms, long now) {
    if (quotas.maxRooms() > 0 && rooms >= quotas.maxRooms()) {
      return "the server holds its most rooms (" + quotas.maxRooms() + ")";
    }
    double perMinute = quotas.roomCreationsPerMinute();
    if (perMinute <= 0) {
      return null;
    }
    RateLimit bucket =
        perClient.computeIfAbsent(client, c -> new RateLimit(perMinute / 60, perMinute));
    synchronized (bucket) {
      if (!bucket.take(now, 1)) {
        return "more than " + (long) perMinute + " rooms created in a minute: try again later";
      }
    }
    return null;
  }

  /** Forgets clients whose allowance is whole again; call now and then. */
  public void prune(long now) {
    perClient.values().removeIf(b -> {
      synchronized (b) {
        return b.idle(now);
      }
    });
  }
}
