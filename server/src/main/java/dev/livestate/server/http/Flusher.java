package dev.livestate.server.http;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drains the outboxes of the connections of one event loop in a single task. A broadcast to a
 * thousand connections then costs one task per event loop instead of one per connection.
 */
final class Flusher implements Runnable {
  private static final Map<EventLoop, Flusher> BY_LOOP = new ConcurrentHashMap<>();

  private final EventLoop loop;
  private final ConcurrentLinkedQueue<Connection> dirty = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  private Flusher(EventLoop loop) {
    this.loop = loop;
  }

  static Flusher of(EventLoop loop) {
    return BY_LOOP.computeIfAbsent(loop, Flusher::new);
  }

  /** Makes {@code connection} drain on this loop soon; call once per burst of sends. */
  void schedule(Connection connection) {
    dirty.offer(connection);
    if (scheduled.compareAndSet(false, true)) {
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    scheduled.set(false);
    Connection c;
    while ((c = dirty.poll()) != null) {
      c.flush();
    }
  }
}
