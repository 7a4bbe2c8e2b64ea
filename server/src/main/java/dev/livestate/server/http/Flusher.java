package dev.livestate.server.http;

import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The frames on their way to the connections of one event loop, in one queue the loop drains in
 * a single task. A broadcast to a thousand connections then costs one hand-off per frame and one
 * task per event loop, and each socket one flush however many frames reached it.
 */
final class Flusher implements Runnable {
  private static final Map<EventLoop, Flusher> BY_LOOP = new ConcurrentHashMap<>();

  private record Pending(Connection to, Frame frame) {}

  private final EventLoop loop;
  /** Many producers (room lanes, other loops), one consumer (this loop). */
  private final Queue<Pending> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** Connections written to in the current drain (loop only). */
  private final List<Connection> written = new ArrayList<>();

  private Flusher(EventLoop loop) {
    this.loop = loop;
  }

  static Flusher of(EventLoop loop) {
    return BY_LOOP.computeIfAbsent(loop, Flusher::new);
  }

  /** Thread-safe: {@code frame} goes to {@code to} on this loop soon, after those before it. */
  void enqueue(Connection to, Frame frame) {
    queue.offer(new Pending(to, frame));
    // reading first spares the shared flag a write on every frame of a burst
    if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    scheduled.set(false);
    Pending next;
    while ((next = queue.poll()) != null) {
      Connection to = next.to();
      if (to.write(next.frame()) && !to.unflushed) {
        to.unflushed = true;
        written.add(to);
      }
    }
    for (Connection c : written) {
      c.unflushed = false;
      c.flush();
    }
    written.clear();
  }
}
