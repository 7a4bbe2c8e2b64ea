package dev.livestate.engine;

import java.util.ArrayDeque;
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

  /**
   * Runs every task on the caller's thread, for deterministic tests. A task submitted while
   * another runs on the same thread (from a reply, a subscriber or a store callback) runs right
   * after it rather than inside it, so tasks still run one at a time in submission order, as on
   * a real lane. Everything has run when the outermost call returns.
   */
  static Lanes direct() {
    ThreadLocal<ArrayDeque<Runnable>> queued = new ThreadLocal<>();
    Executor lane = task -> {
      ArrayDeque<Runnable> queue = queued.get();
      if (queue != null) {
        queue.addLast(task);
        return;
      }
      queue = new ArrayDeque<>();
      queued.set(queue);
      RuntimeException thrown = null;
      try {
        for (Runnable next = task; next != null; next = queue.pollFirst()) {
          try {
            next.run();
          } catch (RuntimeException e) {
            if (thrown == null) {
              thrown = e;
            }
          }
        }
      } finally {
        queued.remove();
      }
      if (thrown != null) {
        throw thrown;
      }
    };
    return new Lanes() {
      @Override
      public Executor laneOf(String room) {
        return lane;
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
