package dev.livestate.server.adapter.meet;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Paces the password checks of each meet, so guessing one meet's password is slow for any
 * number of addresses, and nobody is locked out (see docs/decisions/003).
 *
 * <p>Per meet, up to {@code burst} checks may start back to back; beyond that one starts per
 * {@code interval}. Waiting checks are taken round-robin across remote addresses, and an address
 * has at most one check of a meet running and {@link #WAITING_PER_ADDRESS} waiting: however hard
 * one address floods, a check from another address waits at most one turn per address with
 * checks waiting. A meet that has nothing waiting or running and a full burst again is
 * forgotten.
 *
 * <p>Thread-safe. Checks are started outside the pacer's lock, on the thread that made them due
 * (the one offering or finishing a check, or the timer's).
 */
final class PasswordPacer {
  /** Checks one address may have waiting for one meet; more are refused at once. */
  static final int WAITING_PER_ADDRESS = 4;

  /** Runs a task after a delay. */
  interface Timer {
    void schedule(long delayMillis, Runnable task);
  }

  /** A password check: starts its work and calls {@code finished} once, when that is over. */
  interface Check {
    void start(Runnable finished);
  }

  private final LongSupplier millis;
  private final long intervalMillis;
  private final long burstMillis;
  private final Timer timer;
  private final Map<String, Line> lines = new HashMap<>();

  /** @param millis a monotonic clock in milliseconds */
  PasswordPacer(LongSupplier millis, Duration interval, int burst, Timer timer) {
    if (burst < 1 || interval.isNegative()) {
      throw new IllegalArgumentException("the burst must be at least 1, the interval not negative");
    }
    this.millis = millis;
    this.intervalMillis = interval.toMillis();
    this.burstMillis = (burst - 1) * intervalMillis;
    this.timer = timer;
  }

  /**
   * Queues a check of {@code meetId}'s password from {@code address}; it starts when its turn
   * comes, perhaps before this returns. Returns false, and queues nothing, when the address
   * already has {@link #WAITING_PER_ADDRESS} checks of this meet waiting.
   */
  boolean offer(String meetId, String address, Check check) {
    List<Runnable> due;
    synchronized (this) {
      Line line = lines.computeIfAbsent(meetId, id -> new Line());
      ArrayDeque<Check> queue = line.waiting.computeIfAbsent(address, a -> new ArrayDeque<>());
      if (queue.size() >= WAITING_PER_ADDRESS) {
        return false;
      }
      queue.addLast(check);
      due = due(meetId, line);
    }
    due.forEach(Runnable::run);
    return true;
  }

  /** How many meets the pacer remembers. */
  synchronized int meets() {
    return lines.size();
  }

  private void finished(String meetId, Line line, String address) {
    List<Runnable> due;
    synchronized (this) {
      line.running.remove(address);
      due = lines.get(meetId) == line ? due(meetId, line) : List.of();
    }
    due.forEach(Runnable::run);
  }

  private void timerFired(String meetId, Line line, long at) {
    List<Runnable> due;
    synchronized (this) {
      if (line.timerAt == at) {
        line.timerAt = Long.MAX_VALUE;
      }
      due = lines.get(meetId) == line ? due(meetId, line) : List.of();
    }
    due.forEach(Runnable::run);
  }

  /**
   * Takes the checks whose turn has come (to be started once the lock is released), and sets a
   * timer for the next turn, or for forgetting the meet once its burst is full again.
   */
  private List<Runnable> due(String meetId, Line line) {
    List<Runnable> start = new ArrayList<>();
    long now = millis.getAsLong();
    for (String address = line.next(); address != null; address = line.next()) {
      long wait = Math.max(line.fullAt, now) - burstMillis - now;
      if (wait > 0) {
        schedule(meetId, line, now, wait);
        return start;
      }
      Check check = line.take(address);
      line.fullAt = Math.max(line.fullAt, now) + intervalMillis;
      line.running.add(address);
      String from = address;
      start.add(() -> check.start(new Once(() -> finished(meetId, line, from))));
    }
    if (line.waiting.isEmpty() && line.running.isEmpty()) {
      if (line.fullAt <= now) {
        lines.remove(meetId);
      } else {
        schedule(meetId, line, now, line.fullAt - now);
      }
    }
    return start;
  }

  /** Sets a timer unless one is already set for that time or earlier (it will look again). */
  private void schedule(String meetId, Line line, long now, long delayMillis) {
    long at = now + delayMillis;
    if (at < line.timerAt) {
      line.timerAt = at;
      timer.schedule(delayMillis, () -> timerFired(meetId, line, at));
    }
  }

  /** One meet's waiting and running checks and its rate. Guarded by the pacer's lock. */
  private static final class Line {
    /** Checks waiting per address; the iteration order is the round-robin order. */
    final LinkedHashMap<String, ArrayDeque<Check>> waiting = new LinkedHashMap<>();
    final Set<String> running = new HashSet<>();
    /**
     * When the burst is whole again: each start moves it one interval on from now or from where
     * it was, whichever is later; a check may start while it is at most (burst - 1) intervals
     * ahead of now.
     */
    long fullAt = Long.MIN_VALUE;
    /** When the earliest timer set for this meet fires; MAX_VALUE: none is set. */
    long timerAt = Long.MAX_VALUE;

    /** The first address in round-robin order with a check waiting and none running. */
    String next() {
      for (Map.Entry<String, ArrayDeque<Check>> e : waiting.entrySet()) {
        if (!running.contains(e.getKey())) {
          return e.getKey();
        }
      }
      return null;
    }

    /** Takes the address's oldest check and sends the address to the back of the order. */
    Check take(String address) {
      ArrayDeque<Check> queue = waiting.remove(address);
      Check check = queue.pollFirst();
      if (!queue.isEmpty()) {
        waiting.put(address, queue);
      }
      return check;
    }
  }

  /** Runs its task the first time only: a check that reports finishing twice frees one turn. */
  private static final class Once implements Runnable {
    private Runnable task;

    Once(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      Runnable t;
      synchronized (this) {
        t = task;
        task = null;
      }
      if (t != null) {
        t.run();
      }
    }
  }
}
