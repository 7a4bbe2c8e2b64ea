package dev.livestate.server.adapter.meet;

import dev.livestate.server.guard.ClientAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A limit on the attempts of each remote address: the attempts counted within a sliding window
 * plus those still in flight must stay under {@code limit}. Counting the ones in flight bounds a
 * burst of concurrent attempts before any of them has done its expensive work. IPv6 addresses
 * count by their /64 prefix ({@link ClientAddress#keyOf}). Thread-safe: each
 * address's tally changes only inside the map's atomic {@code compute}.
 */
final class AddressLimit {
  private final LongSupplier millis;
  private final long windowMillis;
  private final int limit;
  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

  /** @param millis a monotonic clock in milliseconds (not the wall clock, which may jump) */
  AddressLimit(LongSupplier millis, Duration window, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a limit must be at least 1");
    }
    this.millis = millis;
    this.windowMillis = window.toMillis();
    this.limit = limit;
  }

  /** One admitted attempt; {@link #end} it exactly once (later calls do nothing). */
  final class Attempt {
    private final String key;
    private boolean ended;

    private Attempt(String key) {
      this.key = key;
    }

    /** The attempt is over; {@code counted}: it stays in the window as one of the address's. */
    void end(boolean counted) {
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
      }
      tallies.compute(key, (k, t) -> {
        t.inFlight--;
        if (counted) {
          t.counted.addLast(millis.getAsLong());
        }
        return t.isEmpty() ? null : t;
      });
    }
  }

  /** Starts an attempt from {@code address}, or returns null when the address is at its limit. */
  Attempt begin(String address) {
    String key = ClientAddress.keyOf(address);
    boolean[] admitted = {false};
    tallies.compute(key, (k, t) -> {
      Tally tally = t != null ? t : new Tally();
      tally.expire(millis.getAsLong() - windowMillis);
      if (tally.counted.size() + tally.inFlight < limit) {
        tally.inFlight++;
        admitted[0] = true;
      }
      return tally.isEmpty() ? null : tally;
    });
    return admitted[0] ? new Attempt(key) : null;
  }

  /** Forgets addresses with nothing left in the window and nothing in flight. */
  void prune() {
    long cutoff = millis.getAsLong() - windowMillis;
    for (String key : tallies.keySet()) {
      tallies.computeIfPresent(key, (k, t) -> {
        t.expire(cutoff);
        return t.isEmpty() ? null : t;
      });
    }
  }

  /** How many addresses are remembered (for tests of the pruning). */
  int size() {
    return tallies.size();
  }

  /** Times of the counted attempts in the window (oldest first) and the attempts in flight. */
  private static final class Tally {
    final ArrayDeque<Long> counted = new ArrayDeque<>();
    int inFlight;

    void expire(long cutoff) {
      while (!counted.isEmpty() && counted.peekFirst() < cutoff) {
        counted.pollFirst();
      }
    }

    boolean isEmpty() {
      return counted.isEmpty() && inFlight == 0;
    }
  }
}
