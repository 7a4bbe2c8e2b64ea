package dev.livestate.server.guard;

import dev.livestate.access.RateLimit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per client (see {@link ClientAddress#clientOf}), for limits that must hold
 * across a client's requests rather than per connection: HTTP requests each come on whatever
 * connection the client has. Buckets that are full again are forgotten by {@link #prune}, so
 * the map holds only clients active lately. Thread-safe.
 */
public final class ClientRates {
  private final double perSecond;
  private final double burst;
  private final Map<String, RateLimit> buckets = new ConcurrentHashMap<>();

  /** @param perSecond the sustained rate; 0 or less limits nothing */
  public ClientRates(double perSecond, double burst) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** Whether nothing is limited. */
  public boolean unlimited() {
    return perSecond <= 0;
  }

  /**
   * Takes {@code n} from {@code client}'s bucket at {@code now} (nanoseconds) if all are there;
   * takes none and returns false otherwise.
   */
  public boolean take(String client, long now, int n) {
    if (unlimited()) {
      return true;
    }
    RateLimit bucket = buckets.computeIfAbsent(client, c -> new RateLimit(perSecond, burst));
    synchronized (bucket) {
      return bucket.take(now, n);
    }
  }

  /** Forgets clients whose allowance is whole again; call now and then. */
  public void prune(long now) {
    buckets.values().removeIf(b -> {
      synchronized (b) {
        return b.idle(now);
      }
    });
  }

  /** Clients remembered now. */
  int size() {
    return buckets.size();
  }
}
