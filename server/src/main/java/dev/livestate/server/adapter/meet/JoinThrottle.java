package dev.livestate.server.adapter.meet;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed JOIN_MEETs per remote address and per meet within a sliding window; past a
 * limit, joins from that address (or to that meet) are refused without checking the password.
 * Thread-safe.
 */
final class JoinThrottle {
  private final Clock clock;
  private final long windowMillis;
  private final int perAddress;
  private final int perMeet;
  private final Map<String, ArrayDeque<Long>> failures = new ConcurrentHashMap<>();

  JoinThrottle(Clock clock, long windowMillis, int perAddress, int perMeet) {
    this.clock = clock;
    this.windowMillis = windowMillis;
    this.perAddress = perAddress;
    this.perMeet = perMeet;
  }

  boolean allowed(String address, String meetId) {
    return count("a:" + address) < perAddress && (meetId == null || count("m:" + meetId) < perMeet);
  }

  void failed(String address, String meetId) {
    add("a:" + address);
    if (meetId != null) {
      add("m:" + meetId);
    }
  }

  /** Forgets counters with nothing left in the window; call now and then. */
  void prune() {
    failures.keySet().forEach(this::count);
    failures.values().removeIf(q -> {
      synchronized (q) {
        return q.isEmpty();
      }
    });
  }

  private int count(String key) {
    ArrayDeque<Long> q = failures.get(key);
    if (q == null) {
      return 0;
    }
    long cutoff = clock.millis() - windowMillis;
    synchronized (q) {
      while (!q.isEmpty() && q.peekFirst() < cutoff) {
        q.pollFirst();
      }
      return q.size();
    }
  }

  private void add(String key) {
    ArrayDeque<Long> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (q) {
      q.addLast(clock.millis());
    }
  }
}
