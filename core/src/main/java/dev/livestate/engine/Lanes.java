package dev.livestate.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The serial lanes rooms run on: each room is pinned to one lane, and a lane runs one task at a
 * time in submission order, so a room's decisions need no locks.
 */
public interface Lanes extends AutoCloseable {

  /** The lane of a room; always the same executor for the same name. */
  Executor laneOf(String room);

  @Override
  void close();

  /** Runs every task at once on the caller's thread: for deterministic tests. */
  static Lanes direct() {
    return new Lanes() {
      @Override
      public Executor laneOf(String room) {
        return Runnable::run;
      }

      @Override
      public void close() {}
    };
  }

  /** {@code count} single-threaded lanes; rooms are spread over them by name. */
  static Lanes threads(int count) {
    ExecutorService[] lanes = new ExecutorService[count];
    AtomicInteger n = new AtomicInteger();
    for (int i = 0; i < count; i++) {
      lanes[i] = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "room-lane-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    return new Lanes() {
      @Override
      public Executor laneOf(String room) {
        return lanes[Math.floorMod(room.hashCode(), lanes.length)];
      }

      @Override
      public void close() {
        for (ExecutorService lane : lanes) {
          lane.shutdown();
        }
        for (ExecutorService lane : lanes) {
          try {
            lane.awaitTermination(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
  }
}
