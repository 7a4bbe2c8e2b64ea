package dev.livestate.access;

/**
 * A token bucket: up to {@code burst} at once, refilled at {@code perSecond}. The caller passes
 * the time (nanoseconds from any fixed origin, such as {@link System#nanoTime()}), so the bucket
 * is pure. Not thread-safe: one owner (a connection's event loop) takes from it, or callers
 * synchronize on it.
 */
public final class RateLimit {
  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;
  private boolean started;

  /** @param perSecond the sustained rate; 0 or less takes everything (no limit) */
  public RateLimit(double perSecond, double burst) {
    this.perNano = perSecond / 1e9;
    this.burst = Math.max(1, burst);
    this.tokens = this.burst;
  }

  /** Whether the bucket has no limit at all. */
  public boolean unlimited() {
    return perNano <= 0;
  }

  /** Takes {@code n} tokens if all are there; takes none and returns false otherwise. */
  public boolean take(long now, int n) {
    if (unlimited()) {
      return true;
    }
    refill(now);
    if (tokens < n) {
      return false;
    }
    tokens -= n;
    return true;
  }

  /**
   * Takes {@code n} tokens whether or not they are all there; the bucket owes the rest and pays
   * it back from its refill before giving any more. For a request that was held until it was
   * due, which must not be held again for a rounding.
   */
  public void spend(long now, int n) {
    if (!unlimited()) {
      refill(now);
      tokens -= n;
    }
  }

  /**
   * How long from {@code now} until {@code n} tokens are there (0: they are now); {@link
   * Long#MAX_VALUE} when {@code n} is more than the bucket ever holds.
   */
  public long nanosUntil(long now, int n) {
    if (unlimited()) {
      return 0;
    }
    if (n > burst) {
      return Long.MAX_VALUE;
    }
    refill(now);
    return tokens >= n ? 0 : (long) Math.ceil((n - tokens) / perNano);
  }

  /** Whether the bucket is full at {@code now}, so forgetting it changes nothing. */
  public boolean idle(long now) {
    if (unlimited()) {
      return true;
    }
    refill(now);
    return tokens >= burst;
  }

  private void refill(long now) {
    if (!started) {
      started = true;
      last = now;
    } else if (now > last) {
      tokens = Math.min(burst, tokens + (now - last) * perNano);
      last = now;
    }
  }
}
