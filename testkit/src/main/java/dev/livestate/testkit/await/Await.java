package dev.livestate.testkit.await;

import java.time.Duration;

/**
 * Waiting for a condition that something else makes true (a server noticing a disconnect, a
 * timer expiring data): the test asks again every 20 ms and fails after {@link #TIMEOUT}. For
 * what a WebSocket receives, wait on the client instead, which wakes at once.
 */
public final class Await {
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** A condition to check; it may throw, which fails the wait at once. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  private Await() {}

  /** Returns once {@code condition} holds; fails naming {@code what} when it does not in time. */
  public static void until(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
