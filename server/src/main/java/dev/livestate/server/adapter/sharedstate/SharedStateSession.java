package dev.livestate.server.adapter.sharedstate;

import dev.livestate.access.Action;
import dev.livestate.access.Permit;
import dev.livestate.access.RateLimit;
import dev.livestate.engine.Broadcast;
import dev.livestate.engine.Engine;
import dev.livestate.engine.Origin;
import dev.livestate.engine.RoomClosed;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.Subscriber;
import dev.livestate.op.Proposal;
import dev.livestate.room.Writer;
import dev.livestate.engine.RoomEvent;
import dev.livestate.server.http.Connection;
import dev.livestate.server.http.Frame;
import dev.livestate.server.http.OpenConnections;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared-state connection: checks each request against the connection's permit and its
 * allowance of changes, maps it to engine calls, and maps relayed ops to NOTIFY messages.
 * Requests arrive on the connection's event loop (one at a time); replies and notifications are
 * sent from room lanes.
 */
final class SharedStateSession implements OpenConnections.Session {
  private static final Logger LOG = LoggerFactory.getLogger(SharedStateSession.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** One instance: a batch's NOTIFY messages are framed once for every canonical subscriber. */
  private static final Function<RoomEvent, List<Frame>> NOTIFY =
      e -> SharedStateMessages.NOTIFY.apply(e).stream().map(Frame::shared).toList();

  private final Engine engine;
  private final Connection connection;
  private final SharedStateCodec codec;
  private final Services services;
  private final int maxSubs;
  private final SharedStateDoor door;
  private final Permit permit;
  /** Items this connection may still update now ({@code limits.changes-per-second}). */
  private final RateLimit changes;
  private final String clientId;
  private final Origin.Client origin;
  private final String remote;
  private final AtomicLong localSeq = new AtomicLong();
  /** Subscriptions by normalised path; written on the event loop only. */
  private final Map<String, Membership> subs = new ConcurrentHashMap<>();

  /** @param permit what the connection's token (or open access) lets it do */
  SharedStateSession(SharedStateDoor door, Connection connection, Permit permit, Vertx vertx) {
    this.door = door;
    this.engine = door.engine();
    this.connection = connection;
    this.codec = door.codec();
    this.services = door.services();
    this.maxSubs = door.maxSubs();
    this.permit = permit;
    this.changes = new RateLimit(door.changesPerSecond(), 2 * door.changesPerSecond());
    connection.expireAfter(vertx, permit.millisLeft(engine.clock().millis()));
    byte[] b = new byte[9];
    RANDOM.nextBytes(b);
    this.clientId = "ss-" + HexFormat.of().formatHex(b);
    this.origin = new Origin.Client(clientId, connection.number());
    this.remote = connection.client().toString();
  }

  /** A subscription: notified of every accepted update of its collection, its own included. */
  private final class Membership implements Subscriber {
    final RoomHandle room;
    final SharedStateRequest.Sub sub;
    final boolean canonical;

    Membership(RoomHandle room, SharedStateRequest.Sub sub) {
      this.room = room;
      this.sub = sub;
      this.canonical = sub.spelling().equals(sub.path().path());
    }

    @Override
    public Origin.Client connection() {
      return origin;
    }

    @Override
    public boolean echo() {
      return true;
    }

    @Override
    public void deliver(Broadcast broadcast) {
      if (canonical) {
        // the writer's own change comes just after its reply: it must not be held behind it
        boolean own = broadcast.event() instanceof RoomEvent.Relayed r
            && r.origin().equals(origin);
        for (Frame m : broadcast.encoded(NOTIFY)) {
          if (own) {
            connection.sendNow(m);
          } else {
            connection.send(m);
          }
        }
      } else {
        for (byte[] m : SharedStateMessages.notifications(broadcast.event(), sub.spelling())) {
          connection.send(m);
        }
      }
    }

    @Override
    public void closed(String roomName, RoomClosed reason) {
      subs.remove(sub.path().path(), this);
      LOG.warn("sharedstate: {} lost its subscription to {}: {}", remote, roomName, reason);
    }
  }

  @Override
  public void onText(String text) {
    SharedStateRequest request;
    try {
      request = codec.decode(text);
    } catch (SharedStateCodec.Invalid e) {
      refuse(e.cmd, e.tunnel, e.getMessage());
      return;
    } catch (RuntimeException e) {
      failed(null, codec.tunnelOf(text), e);
      return;
    }
    answering(null, request.tunnel(), () -> handle(request));
  }

  /**
   * Runs {@code work}, which answers on {@code tunnel}; should it fail (a bug), the failure is
   * logged and the client answered, so that no request goes unanswered.
   */
  private void answering(String cmd, String tunnel, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      failed(cmd, tunnel, e);
    }
  }

  private void failed(String cmd, String tunnel, RuntimeException e) {
    LOG.error("sharedstate: request failed", e);
    refuse(cmd, tunnel, "internal error");
  }

  @Override
  public String clientId() {
    return clientId;
  }

  @Override
  public List<String> rooms() {
    return subs.values().stream().map(m -> m.room.name()).distinct().sorted().toList();
  }

  @Override
  public void onBinary() {
    LOG.info("sharedstate: {} sent a binary frame; the protocol is JSON text", remote);
  }

  /** The connection is gone: drop every subscription. */
  @Override
  public void onClose() {
    for (Membership m : subs.values()) {
      m.room.leave(m);
    }
    subs.clear();
  }

  private void refuse(String cmd, String tunnel, String reason) {
    if (tunnel == null) {
      LOG.info("sharedstate: {}: {} (no tunnel to answer on)", remote, reason);
      return;
    }
    connection.send(SharedStateMessages.error(cmd, tunnel, reason));
  }

  private void handle(SharedStateRequest request) {
    if (request instanceof SharedStateRequest.ListServices r) {
      connection.send(SharedStateMessages.services(r.tunnel(), services.names()));
    } else if (request instanceof SharedStateRequest.Clock r) {
      connection.send(SharedStateMessages.clock(r.tunnel(), engine.clock().millis()));
    } else if (request instanceof SharedStateRequest.GetSubs r) {
      List<SharedStateRequest.Sub> current = new ArrayList<>();
      subs.values().forEach(m -> current.add(m.sub));
      connection.send(SharedStateMessages.subs("GET", r.tunnel(), current));
    } else if (request instanceof SharedStateRequest.GetCollection r) {
      getCollection(r);
    } else if (request instanceof SharedStateRequest.PutSubs r) {
      putSubs(r);
    } else if (request instanceof SharedStateRequest.Update r) {
      update(r);
    }
  }

  private RoomHandle open(CollectionPath path) {
    return engine.open(path.room(), services.get(path.service()).roomConfig());
  }

  /** Null when the connection may do {@code action} with {@code path}; else why not. */
  private String refusal(CollectionPath path, Action action) {
    return door.access().refusal(permit, path.room(), action, engine.clock().millis());
  }

  private void getCollection(SharedStateRequest.GetCollection r) {
    String refused = refusal(r.path(), Action.READ);
    if (refused != null) {
      refuse("GET", r.tunnel(), refused);
      return;
    }
    RoomHandle room = engine.room(r.path().room());
    if (room == null) {
      connection.send(SharedStateMessages.items(r.tunnel(), List.of()));
      return;
    }
    room.snapshot((snapshot, failure) -> answering("GET", r.tunnel(), () -> {
      if (failure != null) {
        refuse("GET", r.tunnel(), "could not read " + r.path().path() + ": " + failure.getMessage());
        return;
      }
      // the original's reply holds the whole collection: it may pass the cap (compat doc)
      connection.send(Frame.whole(SharedStateMessages.items(r.tunnel(),
          snapshot.values().values())));
    }));
  }

  private void putSubs(SharedStateRequest.PutSubs r) {
    if (r.subs().size() > maxSubs) {
      refuse("PUT", r.tunnel(), "too many subscriptions: at most " + maxSubs);
      return;
    }
    for (SharedStateRequest.Sub s : r.subs()) {
      String refused = refusal(s.path(), Action.READ);
      if (refused != null) {
        refuse("PUT", r.tunnel(), "subscriptions unchanged: " + refused);
        return;
      }
    }
    Map<String, SharedStateRequest.Sub> wanted = new LinkedHashMap<>();
    r.subs().forEach(s -> wanted.put(s.path().path(), s));
    for (Membership m : List.copyOf(subs.values())) {
      SharedStateRequest.Sub w = wanted.get(m.sub.path().path());
      if (w == null || !w.spelling().equals(m.sub.spelling())) {
        subs.remove(m.sub.path().path());
        m.room.leave(m);
      }
    }
    List<Runnable> resets = new ArrayList<>();
    for (SharedStateRequest.Sub s : wanted.values()) {
      Membership existing = subs.get(s.path().path());
      if (existing != null) {
        resets.add(() -> existing.room.snapshot((snap, failure) ->
            sendReset(existing, snap, failure, r.tunnel())));
        continue;
      }
      Membership m = new Membership(open(s.path()), s);
      subs.put(s.path().path(), m);
      resets.add(() -> m.room.join(m, null, (joined, failure) -> sendReset(m,
          joined == null ? null : joined.catchUp(), failure, r.tunnel())));
    }
    connection.send(SharedStateMessages.subs("PUT", r.tunnel(), wanted.values()));
    resets.forEach(Runnable::run);
  }

  private void sendReset(Membership m, CatchUp catchUp, Throwable failure, String tunnel) {
    if (failure != null) {
      subs.remove(m.sub.path().path(), m);
      LOG.warn("sharedstate: subscribing {} to {} failed: {}", remote, m.sub.spelling(),
          failure.toString());
      return;
    }
    if (subs.get(m.sub.path().path()) != m || !(catchUp instanceof CatchUp.Snapshot s)) {
      return;
    }
    connection.send(Frame.whole(
        SharedStateMessages.resetNotify(m.sub.spelling(), s.values().values(), tunnel)));
  }

  private void update(SharedStateRequest.Update r) {
    String refused = refusal(r.path(), Action.WRITE);
    if (refused != null) {
      refuse("PUT", r.tunnel(), refused);
      return;
    }
    if (r.change() == null) {
      connection.send(SharedStateMessages.updated(r.tunnel(), 0));
      return;
    }
    // an update larger than the whole allowance still goes through once the allowance is full
    // (and empties it): the original took a collection's reset of any size
    int items = (int) Math.max(1, Math.min(r.touched(), 2 * door.changesPerSecond()));
    submitWhenAllowed(r, items);
  }

  /**
   * Submits the update once the connection's allowance holds {@code items}. A client past it is
   * slowed down, not refused: the original took updates at any rate, so its clients (a bulk load
   * among them) never expect a refusal; until then nothing more is read from the connection, so
   * a flood waits in its own TCP buffers and later updates cannot overtake this one.
   */
  private void submitWhenAllowed(SharedStateRequest.Update r, int items) {
    long now = System.nanoTime();
    if (!changes.take(now, items)) {
      connection.holdReading(changes.nanosUntil(now, items), () -> {
        changes.spend(System.nanoTime(), items);
        answering("PUT", r.tunnel(), () -> submit(r));
      });
      return;
    }
    submit(r);
  }

  private void submit(SharedStateRequest.Update r) {
    Proposal proposal = new Proposal(localSeq.incrementAndGet(), 0, r.change());
    // a session never resends and its id dies with it: the room keeps only its last decision
    open(r.path()).submit(Writer.of(clientId), origin, List.of(proposal),
        proposal.localSeq() - 1, (outcomes, failure) -> answering("PUT", r.tunnel(), () -> {
      if (failure != null) {
        refuse("PUT", r.tunnel(), "update of " + r.path().path() + " failed: " + failure.getMessage());
        return;
      }
      Outcome o = outcomes.get(0);
      if (o instanceof Outcome.Rejected rej) {
        refuse("PUT", r.tunnel(), "update rejected: " + rej.message());
        return;
      }
      connection.send(SharedStateMessages.updated(r.tunnel(), r.touched()));
    }));
  }
}
