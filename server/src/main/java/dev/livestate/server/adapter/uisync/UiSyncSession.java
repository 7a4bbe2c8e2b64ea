package dev.livestate.server.adapter.uisync;

import dev.livestate.access.Permit;
import dev.livestate.access.RateLimit;
import dev.livestate.engine.Broadcast;
import dev.livestate.engine.Origin;
import dev.livestate.engine.Subscriber;
import dev.livestate.server.http.Connection;
import io.socket.engineio.server.EngineIoSocket;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One connected Socket.IO client: the sites it follows and leads, and the queue that handles
 * its events strictly in the order it sent them. A step may finish asynchronously (e.g. a
 * leader claim must be granted before the snapshot is written); the next event waits for it.
 */
final class UiSyncSession {
  private static final System.Logger LOG = System.getLogger(UiSyncSession.class.getName());

  private final String id;
  /** This client as the engine knows it: its own changes come back only if it also follows. */
  private final Origin.Client origin;
  private final EngineIoSocket connection;
  private final String connectSecret;
  private final Permit permit;
  /** Changes this client may still send now ({@code limits.changes-per-second}). */
  private final RateLimit changes;
  private final ArrayDeque<Consumer<Runnable>> queue = new ArrayDeque<>();
  private boolean busy;
  private long localSeq;
  /** What waits in the library's buffer while the client is on the polling transport. */
  private final PollingBacklog backlog;
  /** The WebSocket's connection once the client is on that transport. */
  private volatile Connection webSocket;

  /** Sites followed, each with its engine subscription. */
  final Map<String, Follower> following = new ConcurrentHashMap<>();
  /** Sites this client leads (as far as the engine has granted). */
  final Set<String> leading = ConcurrentHashMap.newKeySet();

  UiSyncSession(String id, EngineIoSocket connection, String connectSecret, Permit permit,
      RateLimit changes, PollingBacklog backlog) {
    this.id = id;
    this.origin = new Origin.Client(id, Connection.newNumber());
    this.connection = connection;
    this.connectSecret = connectSecret;
    this.permit = permit;
    this.changes = changes;
    this.backlog = backlog;
  }

  /** What the client's token (or open access) lets it do. */
  Permit permit() {
    return permit;
  }

  /** Only from the step running now: the queue hands the allowance from step to step. */
  RateLimit changes() {
    return changes;
  }

  String id() {
    return id;
  }

  Origin.Client origin() {
    return origin;
  }

  String connectSecret() {
    return connectSecret;
  }

  /**
   * Thread-safe: an event, shared with other sessions, queued for this client. Once the client
   * is on the WebSocket transport the pre-encoded frame goes straight to its socket (batched
   * per event loop); until then the library sends the packet (polling, upgrade buffering),
   * its backlog capped by {@link PollingBacklog}.
   */
  void send(Outbound out) {
    Connection ws = webSocket;
    if (ws != null) {
      ws.send(out.frame());
    } else if (!backlog.closed()) {
      connection.send(out.packet());
      backlog.queued(out.frame().payload().length);
    }
  }

  /** The library handed this client's buffered packets to a poll. */
  void polled() {
    backlog.flushed();
  }

  /** The client's transport is now this WebSocket (set on the event loop that owns it). */
  /** The client's address once it is on a WebSocket; null while it only polls. */
  String address() {
    Connection ws = webSocket;
    return ws == null ? null : ws.address();
  }

  void upgraded(VertxEngineWebSocket ws) {
    webSocket = ws.connection();
  }

  synchronized long nextLocalSeq() {
    return ++localSeq;
  }

  /**
   * Runs {@code step} after every step enqueued before it has finished; the step calls the
   * given Runnable once it is done (at once, or later from another thread).
   */
  void enqueue(Consumer<Runnable> step) {
    synchronized (this) {
      queue.addLast(step);
      if (busy) {
        return;
      }
      busy = true;
    }
    drain();
  }

  private void drain() {
    while (true) {
      Consumer<Runnable> next;
      synchronized (this) {
        next = queue.pollFirst();
        if (next == null) {
          busy = false;
          return;
        }
      }
      Step step = new Step();
      try {
        next.accept(step);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "uisync event of " + id + " failed", e);
        step.run();
      }
      synchronized (step) {
        if (!step.done) {
          step.async = true;
          return;
        }
      }
    }
  }

  /** The end of one step: either within the step (the loop goes on) or later (it restarts it). */
  private final class Step implements Runnable {
    boolean done;
    boolean async;

    @Override
    public void run() {
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
        if (!async) {
          return;
        }
      }
      drain();
    }
  }

  /** This client's subscription to one site's room. */
  static final class Follower implements Subscriber {
    private final UiSyncSession session;
    private final Function<dev.livestate.engine.RoomEvent, List<Outbound>> encoder;
    private volatile boolean active = true;

    Follower(UiSyncSession session,
        Function<dev.livestate.engine.RoomEvent, List<Outbound>> encoder) {
      this.session = session;
      this.encoder = encoder;
    }

    /** Stops delivery at once, before the room has processed the leave. */
    void stop() {
      active = false;
    }

    @Override
    public Origin.Client connection() {
      return session.origin;
    }

    /** Like the original, a leader that also follows its site hears its own changes. */
    @Override
    public boolean echo() {
      return true;
    }

    @Override
    public void deliver(Broadcast broadcast) {
      if (!active) {
        return;
      }
      for (Outbound p : broadcast.encoded(encoder)) {
        session.send(p);
      }
    }
  }
}
