package dev.livestate.server.adapter.uisync;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a long-polling client has waiting for its next poll, in bytes, held to the cap a
 * WebSocket's queue has ({@code limits.max-queued}). engine.io-server buffers a polling
 * client's packets until it polls, without a bound; a client that stopped polling (dead, or
 * made to hold the server's memory) would keep everything its sites send. Past the cap its
 * Engine.IO session is closed, as the library closes one whose poll failed: the buffer goes
 * with it, and the client's next poll is told its session is unknown. Thread-safe.
 */
final class PollingBacklog {
  private final long maxBytes;
  private final Runnable closeSession;
  private final AtomicLong unpolled = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  PollingBacklog(long maxBytes, Runnable closeSession) {
    this.maxBytes = maxBytes;
    this.closeSession = closeSession;
  }

  /** Whether the session was closed for its backlog: nothing more should be queued for it. */
  boolean closed() {
    return closed.get();
  }

  /** Counts a packet of {@code bytes} queued; closes the session once past the cap. */
  void queued(long bytes) {
    if (unpolled.addAndGet(bytes) > maxBytes && closed.compareAndSet(false, true)) {
      closeSession.run();
    }
  }

  /** The library handed everything queued to a poll. */
  void flushed() {
    unpolled.set(0);
  }
}
