package dev.livestate.server.adapter.meet;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where all scrypt work runs (hashing a new meet's password, checking a join's): on at most
 * {@code threads} threads of its own, with at most {@code queued} more computations waiting.
 * Past that, work is refused at once with {@link #BUSY}, so the memory scrypt holds stays
 * bounded at about {@code threads} × 128·r·N bytes (32 MiB each at the default cost), whatever
 * the number of requests. Thread-safe.
 */
final class HashingPool implements AutoCloseable {
  /** The reason given to a client whose request found the pool full. */
  static final String BUSY = "server busy, try again";

  private final WorkerExecutor executor;
  private final int capacity;
  private final AtomicInteger admitted = new AtomicInteger();

  HashingPool(Vertx vertx, int threads, int queued) {
    if (threads < 1 || queued < 0) {
      throw new IllegalArgumentException("at least one hashing thread, and a queue not negative");
    }
    this.executor = vertx.createSharedWorkerExecutor("livestate-meet-scrypt", threads);
    this.capacity = threads + queued;
  }

  /**
   * Runs {@code work} on a hashing thread; the future completes on the caller's Vert.x context.
   * Fails at once with a {@link Meets.Refused} saying {@link #BUSY} when the pool is full.
   */
  <T> Future<T> submit(Callable<T> work) {
    if (admitted.incrementAndGet() > capacity) {
      admitted.decrementAndGet();
      return Future.failedFuture(new Meets.Refused(BUSY));
    }
    return executor.executeBlocking(work, false).andThen(ar -> admitted.decrementAndGet());
  }

  @Override
  public void close() {
    executor.close();
  }
}
