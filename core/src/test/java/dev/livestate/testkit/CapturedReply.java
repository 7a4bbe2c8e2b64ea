package dev.livestate.testkit;

import dev.livestate.engine.Reply;

/**
 * A {@link Reply} that keeps what it was told, for tests with direct lanes: after the call that
 * produced it, check {@link #isDone()} and read {@link #value()}.
 */
public final class CapturedReply<T> implements Reply<T> {
  private T value;
  private Throwable failure;
  private int calls;

  @Override
  public synchronized void done(T value, Throwable failure) {
    this.value = value;
    this.failure = failure;
    calls++;
  }

  /** Whether the reply has been called (with a value or a failure). */
  public synchronized boolean isDone() {
    return calls > 0;
  }

  /** How many times the reply was called; a correct room calls it exactly once. */
  public synchronized int calls() {
    return calls;
  }

  /** The value; fails the test if the reply has not come or came as a failure. */
  public synchronized T value() {
    if (calls == 0) {
      throw new AssertionError("no reply yet");
    }
    if (failure != null) {
      throw new AssertionError("reply failed: " + failure, failure);
    }
    return value;
  }

  /** The failure, or null if the reply came with a value (or has not come). */
  public synchronized Throwable failure() {
    return failure;
  }
}
