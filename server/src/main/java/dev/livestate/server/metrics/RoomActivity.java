package dev.livestate.server.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals per room, of ops committed and events delivered, which the console samples to
 * show rates. Adding is lock-free once a room has its totals.
 */
public final class RoomActivity {
  /** A room's totals since this server started. */
  public static final class Totals {
    private final LongAdder committed = new LongAdder();
    private final LongAdder delivered = new LongAdder();

    public long committed() {
      return committed.sum();
    }

    public long delivered() {
      return delivered.sum();
    }
  }

  private static final Totals NONE = new Totals();
  private final ConcurrentHashMap<String, Totals> rooms = new ConcurrentHashMap<>();

  void committed(String room, int ops) {
    totals(room).committed.add(ops);
  }

  void delivered(String room, int connections) {
    totals(room).delivered.add(connections);
  }

  void forget(String room) {
    rooms.remove(room);
  }

  /** Every room's totals together (a moment's view). */
  public long[] all() {
    long committed = 0;
    long delivered = 0;
    for (Totals t : rooms.values()) {
      committed += t.committed();
      delivered += t.delivered();
    }
    return new long[] {committed, delivered};
  }

  /** The room's totals; zero for a room that has done nothing yet. */
  public Totals of(String room) {
    return rooms.getOrDefault(room, NONE);
  }

  private Totals totals(String room) {
    Totals t = rooms.get(room);
    return t != null ? t : rooms.computeIfAbsent(room, r -> new Totals());
  }
}
