package dev.livestate.engine;

import dev.livestate.store.Store;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What a room has decided but may not tell yet: a FIFO of actions (acks, relays, replies), each
 * waiting for its own write, if it has one, and for every write before it to commit. Lane only.
 *
 * <p>A write that fails stops the queue: the room's memory is ahead of its store, so nothing
 * behind it may run. The room is told through {@code onFailure}, and {@link #failAll} answers
 * every reply still waiting.
 */
final class CommitQueue {
  private static final System.Logger LOG = System.getLogger(CommitQueue.class.getName());

  /**
   * Something waiting for its write (if any) and every earlier one to commit; {@code reply} (if
   * any) is told of a failure when the room fails before the action runs.
   */
  static final class Pending {
    final Runnable action;
    final Reply<?> reply;
    boolean committed;
    Throwable failure;

    Pending(Runnable action, Reply<?> reply, boolean committed) {
      this.action = action;
      this.reply = reply;
      this.committed = committed;
    }
  }

  private final String room;
  private final Executor lane;
  private final EngineListener listener;
  private final Consumer<Throwable> onFailure;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  CommitQueue(String room, Executor lane, EngineListener listener, Consumer<Throwable> onFailure) {
    this.room = room;
    this.lane = lane;
    this.listener = listener;
    this.onFailure = onFailure;
  }

  /**
   * Queues {@code action} behind a write about to be handed to the store: pass {@link
   * #committed} of the result as the write's callback.
   */
  Pending behindWrite(Runnable action, Reply<?> reply) {
    Pending p = new Pending(action, reply, false);
    pending.addLast(p);
    return p;
  }

  /** Runs {@code action} once every write before it has committed; {@code reply} as above. */
  void afterCommits(Reply<?> reply, Runnable action) {
    pending.addLast(new Pending(action, reply, true));
    drain();
  }

  /** The store's callback for a write: its commit lets {@code p} and what waits behind it run. */
  Store.Commit committed(Pending p) {
    listener.commitStart(room);
    long start = System.nanoTime();
    return failure -> {
      listener.commitEnd(room, System.nanoTime() - start, failure);
      lane.execute(() -> {
        p.committed = true;
        p.failure = failure;
        drain();
      });
    };
  }

  private void drain() {
    while (!pending.isEmpty() && pending.peekFirst().committed) {
      Pending p = pending.peekFirst();
      if (p.failure != null) {
        onFailure.accept(p.failure);
        return;
      }
      pending.pollFirst();
      try {
        p.action.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a reply in room " + room + " failed", e);
      }
    }
  }

  /** Drops everything waiting, telling each reply of {@code failure}. */
  void failAll(Throwable failure) {
    List<Pending> unanswered = List.copyOf(pending);
    pending.clear();
    for (Pending p : unanswered) {
      if (p.reply != null) {
        p.reply.done(null, failure);
      }
    }
  }
}
