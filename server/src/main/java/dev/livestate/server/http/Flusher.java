package dev.livestate.server.http;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames on their way to the connections of one event loop, in one queue the loop drains in
 * a single task. A broadcast to a thousand connections then costs one hand-off per frame and one
 * task per event loop, and each socket one flush however many frames reached it.
 *
 * <p>Each flush is a system call and a TCP segment, and on a busy fan-out those are most of the
 * server's CPU. So broadcast frames may wait out the connection's write delay: a connection
 * flushed less than that long ago is held until the delay has passed, and whatever else reaches it
 * meanwhile leaves in the same write. One that has been quiet for as long is flushed at once, and
 * so is any connection sent a frame that must not wait (a reply), taking held frames along.
 */
final class Flusher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);
  private static final Map<EventLoop, Flusher> BY_LOOP = new ConcurrentHashMap<>();

  private record Pending(Outbox to, Frame frame, boolean now) {}

  private final EventLoop loop;
  /** Many producers (room lanes, other loops), one consumer (this loop). */
  private final Queue<Pending> queue = TransportInternals.multiProducerQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** Outboxes written to in the current drain (loop only). */
  private final List<Outbox> written = new ArrayList<>();
  /** Outboxes written to and waiting out their write delay (loop only). */
  private final List<Outbox> held = new ArrayList<>();
  /** When the timer for {@link #held} is due, by {@link System#nanoTime}; 0 when none is set. */
  private long heldUntil;

  private Flusher(EventLoop loop) {
    this.loop = loop;
  }

  static Flusher of(EventLoop loop) {
    return BY_LOOP.computeIfAbsent(loop, Flusher::new);
  }

  /**
   * Thread-safe: {@code frame} goes to {@code to} on this loop soon, after those before it; with
   * {@code now}, without waiting out the connection's write delay.
   */
  void enqueue(Outbox to, Frame frame, boolean now) {
    queue.offer(new Pending(to, frame, now));
    // reading first spares the shared flag a write on every frame of a burst
    if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    Pending next;
    while ((next = queue.poll()) != null) {
      Outbox to = next.to();
      boolean added;
      try {
        added = to.add(next.frame());
      } catch (RuntimeException e) {
        // one connection's failure must not stop this loop writing to all the others
        LOG.warn("a frame could not be queued for its connection: {}", e.toString());
        continue;
      }
      if (added) {
        to.urgent |= next.now();
        if (!to.listed) {
          to.listed = true;
          written.add(to);
        }
      }
    }
    // Frames offered while the queue drained were taken without a wake-up each (a lane fanning
    // out to a thousand sockets would otherwise wake this loop many times per broadcast); those
    // that slipped in after the last poll are picked up below.
    scheduled.set(false);
    long now = System.nanoTime();
    for (Outbox c : written) {
      c.listed = false;
      long due = c.dueAt();
      if (c.urgent || due - now <= 0) {
        flush(c, now);
      } else if (!c.held) {
        c.held = true;
        held.add(c);
        wakeAt(due, now);
      }
    }
    written.clear();
    if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
      loop.execute(this);
    }
  }

  /** Makes sure {@link #flushHeld} runs by {@code due}. */
  private void wakeAt(long due, long now) {
    if (heldUntil == 0 || due - heldUntil < 0) {
      heldUntil = due;
      loop.schedule(() -> flushHeld(due), due - now, TimeUnit.NANOSECONDS);
    }
  }

  private void flushHeld(long timer) {
    if (timer != heldUntil) {
      return; // superseded by a timer for an earlier moment, which did the work
    }
    heldUntil = 0;
    long now = System.nanoTime();
    // a connection no longer held was flushed meanwhile, for a reply
    held.removeIf(c -> !c.held || flushIfDue(c, now));
    long next = 0;
    for (Outbox c : held) {
      long due = c.dueAt();
      next = next == 0 || due - next < 0 ? due : next;
    }
    if (next != 0) {
      wakeAt(next, now);
    }
  }

  private static boolean flushIfDue(Outbox c, long now) {
    if (c.dueAt() - now > 0) {
      return false;
    }
    flush(c, now);
    return true;
  }

  /** Writes one connection's frames; its failure is its own, the loop goes on. */
  private static void flush(Outbox c, long now) {
    try {
      c.flush(now);
    } catch (RuntimeException e) {
      if (ClientGone.is(e)) {
        LOG.debug("a client went away while written to: {}", e.toString());
      } else {
        LOG.warn("writing to a connection failed: {}", e.toString());
      }
    }
  }
}
