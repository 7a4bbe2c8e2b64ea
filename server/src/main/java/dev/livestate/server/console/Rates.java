package dev.livestate.server.console;

import dev.livestate.server.metrics.RoomActivity;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ops and deliveries per second, from the running totals sampled once a second: the last
 * {@link #KEPT} seconds for the whole node, the last second for each room. Sampled by one timer;
 * read by console requests on any event loop, which see the views the last sample published.
 */
final class Rates {
  static final int KEPT = 300;

  /** One second of the node: when it ended (epoch ms) and its rates. */
  record Second(long at, double ops, double deliveries) {}

  private final RoomActivity activity;
  private final Deque<Second> seconds = new ArrayDeque<>();
  /** What readers see of {@link #seconds}: a copy made by each sample. */
  private volatile List<Second> published = List.of();
  private Map<String, Long> lastByRoom = new HashMap<>();
  /** Replaced whole by each sample, never changed once published. */
  private volatile Map<String, Double> opsByRoom = new HashMap<>();
  private long[] last;
  private long lastAt;

  Rates(RoomActivity activity) {
    this.activity = activity;
  }

  /** Takes a sample of the totals of the node and of each of {@code rooms}. */
  void sample(long now, Iterable<String> rooms) {
    long[] totals = activity.all();
    Map<String, Long> byRoom = new HashMap<>();
    Map<String, Double> rates = new HashMap<>();
    double elapsed = last == null ? 1 : Math.max(1, now - lastAt) / 1000.0;
    for (String room : rooms) {
      long committed = activity.of(room).committed();
      byRoom.put(room, committed);
      Long before = lastByRoom.get(room);
      rates.put(room, before == null ? 0 : (committed - before) / elapsed);
    }
    if (last != null) {
      seconds.addLast(new Second(now, (totals[0] - last[0]) / elapsed,
          (totals[1] - last[1]) / elapsed));
      if (seconds.size() > KEPT) {
        seconds.removeFirst();
      }
      published = List.copyOf(seconds);
    }
    last = totals;
    lastAt = now;
    lastByRoom = byRoom;
    opsByRoom = rates;
  }

  List<Second> seconds() {
    return published;
  }

  double opsPerSecond(String room) {
    return opsByRoom.getOrDefault(room, 0.0);
  }
}
