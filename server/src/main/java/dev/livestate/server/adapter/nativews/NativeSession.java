package dev.livestate.server.adapter.nativews;

import dev.livestate.access.Action;
import dev.livestate.access.Home;
import dev.livestate.access.Permit;
import dev.livestate.access.RateLimit;
import dev.livestate.access.Verdict;
import dev.livestate.engine.Broadcast;
import dev.livestate.engine.Joined;
import dev.livestate.engine.Origin;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomClosed;
import dev.livestate.engine.RoomEvent;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.Subscriber;
import dev.livestate.protocol.CloseReason;
import dev.livestate.protocol.ErrorCode;
import dev.livestate.protocol.JoinedParts;
import dev.livestate.protocol.ProtocolException;
import dev.livestate.protocol.Request;
import dev.livestate.protocol.RequestCodec;
import dev.livestate.protocol.ServerMessages;
import dev.livestate.room.Leadership;
import dev.livestate.room.Role;
import dev.livestate.room.Writer;
import dev.livestate.server.guard.ClientAddress;
import dev.livestate.server.http.Connection;
import dev.livestate.server.http.Frame;
import dev.livestate.server.http.OpenConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One native connection: checks each request against the connection's permit and limits, maps
 * it to engine calls, and maps room events to messages. Requests arrive on the connection's
 * event loop; replies and events are sent from room lanes.
 */
final class NativeSession implements OpenConnections.Session {
  private static final Logger LOG = LoggerFactory.getLogger(NativeSession.class);
  /** The most a part of a joined reply holds (values or ops, roughly), when the cap allows. */
  static final long MAX_PART_BYTES = 1 << 20;
  /** One instance: a broadcast is encoded once, as one frame, for every subscriber. */
  private static final Function<RoomEvent, Frame> EVENT = Frame.sharing(ServerMessages.EVENT);

  private final NativeDoor door;
  private final Connection connection;
  private final NativeIdentity identity;
  private final RateLimit changes;
  private final RateLimit joins;
  private final Map<String, Membership> rooms = new ConcurrentHashMap<>();
  /** This connection as the engine knows it; changes with the client id at hello. */
  private volatile Origin.Client origin;

  NativeSession(NativeDoor door, Connection connection) {
    this.door = door;
    this.connection = connection;
    this.identity = new NativeIdentity(door, connection);
    this.changes = new RateLimit(door.quotas().changesPerSecond(),
        2 * door.quotas().changesPerSecond());
    this.joins = new RateLimit(door.quotas().joinsPerSecond(), 2 * door.quotas().joinsPerSecond());
    this.origin = new Origin.Client(identity.clientId(), connection.number());
  }

  @Override
  public String clientId() {
    return identity.clientId();
  }

  @Override
  public List<String> rooms() {
    return rooms.keySet().stream().sorted().toList();
  }

  /** This connection's membership of one room, with the role and priority it was admitted in. */
  private final class Membership implements Subscriber {
    final RoomHandle room;
    final Role role;
    final int priority;
    /** What admitted it: the connection's permit, or the join's own token. */
    final Permit permit;
    /** Events held while the joined reply goes out in parts (null when none is held). */
    private List<Frame> held;
    private long heldBytes;

    Membership(RoomHandle room, Verdict.Allowed admitted, Permit permit) {
      this.room = room;
      this.role = admitted.role();
      this.priority = admitted.priority();
      this.permit = permit;
    }

    @Override
    public Origin.Client connection() {
      return origin;
    }

    @Override
    public synchronized void deliver(Broadcast broadcast) {
      Frame event = broadcast.encoded(EVENT);
      if (held == null) {
        connection.send(event);
        return;
      }
      held.add(event);
      heldBytes += event.size();
      if (heldBytes > connection.maxQueuedBytes()) {
        connection.close(CloseReason.TOO_SLOW, "too slow: the room moved on faster than its"
            + " catch-up could be sent");
      }
    }

    /** From now on events wait until {@link #release}, behind the parts of the joined reply. */
    synchronized void hold() {
      held = new ArrayList<>();
    }

    /** Sends the events held, in order, and lets later ones through. */
    synchronized void release() {
      held.forEach(connection::send);
      held = null;
      heldBytes = 0;
    }

    @Override
    public void closed(String roomName, RoomClosed reason) {
      rooms.remove(roomName, this);
      connection.send(ServerMessages.error(null, ErrorCode.ROOM_FAILED,
          "room " + roomName + " closed: " + reason.wireName(), roomName));
    }
  }

  @Override
  public void onText(String text) {
    Request request;
    try {
      request = door.codec().decode(text);
    } catch (RequestCodec.Failed f) {
      connection.send(ServerMessages.error(f.id(), f.error(), f.getMessage(), null));
      return;
    } catch (ProtocolException e) {
      connection.send(ServerMessages.error(null, e.error(), e.getMessage(), null));
      return;
    }
    try {
      handle(request);
    } catch (ProtocolException e) {
      connection.send(ServerMessages.error(request.id(), e.error(), e.getMessage(), null));
    } catch (RuntimeException e) {
      failed(request.id(), e);
    }
  }

  /** A bug met while answering request {@code id}: logged, and the client told. */
  private void failed(Object id, RuntimeException e) {
    LOG.error("native request {} failed", id, e);
    connection.send(ServerMessages.error(id, ErrorCode.INTERNAL,
        "the server failed to answer this request", null));
  }

  @Override
  public void onBinary() {
    connection.send(ServerMessages.error(null, ErrorCode.BAD_REQUEST,
        "binary frames are not part of the protocol: send JSON text", null));
  }

  /** The connection is gone: leave every room, giving up presence and leadership. */
  @Override
  public void onClose() {
    identity.close();
    rooms.values().forEach(this::leave);
    rooms.clear();
  }

  /** Out of the room, and with it its presence and, if this client led, its leadership. */
  private void leave(Membership m) {
    String clientId = identity.clientId();
    m.room.leave(m);
    m.room.removePresence(clientId);
    if (clientId.equals(m.room.leader())) {
      m.room.releaseLeader(clientId, Reply.ignore());
    }
  }

  private void handle(Request request) {
    if (request instanceof Request.Hello h) {
      connection.send(identity.hello(h));
      origin = new Origin.Client(identity.clientId(), connection.number());
      return;
    }
    if (request instanceof Request.Refresh r) {
      connection.send(identity.refresh(r));
      return;
    }
    Permit permit = identity.permit();
    String clientId = identity.clientId();
    if (request instanceof Request.Join j) {
      join(j, permit);
    } else if (request instanceof Request.Leave l) {
      Membership m = member(l.room());
      rooms.remove(l.room());
      leave(m);
      connection.send(ServerMessages.roomReply("left", l.id(), l.room()));
    } else if (request instanceof Request.Submit s) {
      // a reader's changes go to the room too: it refuses each one and remembers the refusal, so
      // a resend after joining again as a writer is answered the same (decision 001)
      Membership m = member(s.room());
      take(changes, s.changes().size(), "changes");
      m.room.submit(new Writer(clientId, m.role, m.priority), origin, s.changes(),
          s.seenThrough(),
          reply(s.id(), s.room(), outcomes -> ServerMessages.result(s.id(), s.room(), outcomes)));
    } else if (request instanceof Request.Lead l) {
      Membership m = writable(l.room());
      refuseUnless(m.permit.check(Home.NATIVE, l.room(), Action.LEAD));
      m.room.claimLeader(clientId,
          reply(l.id(), l.room(), lead -> ServerMessages.leadership(l.id(), l.room(), lead)));
    } else if (request instanceof Request.Unlead u) {
      member(u.room()).room.releaseLeader(clientId,
          reply(u.id(), u.room(), released -> ServerMessages.unled(u.id(), u.room(), released)));
    } else if (request instanceof Request.SetPresence p) {
      member(p.room()).room.setPresence(clientId, p.data());
      connection.send(ServerMessages.roomReply("presence", p.id(), p.room()));
    } else if (request instanceof Request.Publish p) {
      long time = p.time() != null ? p.time() : door.engine().clock().millis();
      writable(p.room()).room.publish(time, p.body(),
          reply(p.id(), p.room(), m -> ServerMessages.published(p.id(), p.room(), m)));
    } else if (request instanceof Request.History h) {
      refuseUnless(permit.check(Home.NATIVE, h.room(), Action.READ));
      withRoom(h.id(), h.room(), "no room " + h.room(), room -> room.readStream(h.from(), h.to(),
          reply(h.id(), h.room(), list -> ServerMessages.history(h.id(), h.room(), list))));
    } else if (request instanceof Request.Ping p) {
      connection.send(ServerMessages.pong(p.id()));
    }
  }

  private void join(Request.Join j, Permit connectionPermit) {
    if (rooms.containsKey(j.room())) {
      throw ErrorCode.ALREADY_JOINED.with("already in room " + j.room());
    }
    if (rooms.size() >= door.maxRooms()) {
      throw ErrorCode.TOO_MANY_ROOMS.with(
          "a connection may be in at most " + door.maxRooms() + " rooms");
    }
    Permit permit = j.token() == null ? connectionPermit : identity.permitFor(j.token());
    Action action = j.role() == Role.LEADER ? Action.LEAD : Action.READ;
    Verdict.Allowed admitted =
        refuseUnless(permit.admit(Home.NATIVE, j.room(), action, j.role(), j.priority()));
    take(joins, 1, "joins");
    RoomHandle known = door.engine().room(j.room());
    if (known == null && j.create() != null) {
      known = create(j, permit);
    }
    if (known != null) {
      enter(j, admitted, permit, known);
    } else {
      withRoom(j.id(), j.room(), "no room " + j.room() + " (join with create to make it)",
          room -> enter(j, admitted, permit, room));
    }
  }

  private void enter(Request.Join j, Verdict.Allowed admitted, Permit permit, RoomHandle room) {
    Membership m = new Membership(room, admitted, permit);
    if (rooms.putIfAbsent(j.room(), m) != null) {
      throw ErrorCode.ALREADY_JOINED.with("already in room " + j.room());
    }
    Runnable subscribe = () -> m.room.join(m, j.since(), (joined, failure) -> {
      if (failure != null) {
        rooms.remove(j.room(), m);
        connection.send(ServerMessages.error(j.id(), ErrorCode.ROOM_FAILED, failure.getMessage(),
            j.room()));
        return;
      }
      try {
        sendJoined(j, m, joined);
      } catch (RuntimeException e) {
        rooms.remove(j.room(), m);
        m.room.leave(m);
        failed(j.id(), e);
      }
    });
    if (m.role != Role.LEADER) {
      subscribe.run();
      return;
    }
    room.claimLeader(identity.clientId(), (lead, failure) -> {
      if (lead instanceof Leadership.Refused refused) {
        rooms.remove(j.room(), m);
        connection.send(ServerMessages.error(j.id(), ErrorCode.FORBIDDEN,
            "room is led by " + refused.holder() + " and refuses takeovers", j.room()));
      } else {
        subscribe.run();
      }
    });
  }

  /**
   * The joined reply, cut into parts when its catch-up is larger than a part ({@link
   * JoinedParts}): each next part goes once the client has read enough of the last that it fits
   * well within the connection's cap, and events wait behind the last part. The parts come from
   * the connection's event loop, which knows how much the client has yet to read.
   */
  private void sendJoined(Request.Join j, Membership m, Joined joined) {
    long cap = connection.maxQueuedBytes();
    List<Supplier<byte[]>> parts = JoinedParts.of(j.id(), j.room(), joined,
        Math.max(1, Math.min(MAX_PART_BYTES, cap / 16)));
    if (parts.size() > 1) {
      m.hold();
    }
    connection.send(parts.get(0).get());
    if (parts.size() > 1) {
      sendParts(m, parts, 1, cap / 4);
    }
  }

  private void sendParts(Membership m, List<Supplier<byte[]>> parts, int next, long backlog) {
    connection.whenUnsentAtMost(backlog, () -> {
      connection.send(parts.get(next).get());
      if (next + 1 < parts.size()) {
        sendParts(m, parts, next + 1, backlog);
      } else {
        m.release();
      }
    });
  }

  private RoomHandle create(Request.Join j, Permit permit) {
    refuseUnless(permit.check(Home.NATIVE, j.room(), Action.CREATE));
    String creator = ClientAddress.clientOf(permit, connection.address());
    String tooMany = door.creations().take(creator, door.engine().rooms().size(),
        System.nanoTime());
    if (tooMany != null) {
      throw ErrorCode.RATE_LIMITED.with(tooMany);
    }
    try {
      RoomHandle room = door.engine().open(j.room(), j.create());
      LOG.atInfo().addKeyValue("room", j.room()).addKeyValue("client", identity.clientId())
          .log("room created");
      return room;
    } catch (IllegalArgumentException e) {
      throw ErrorCode.BAD_REQUEST.with(e.getMessage());
    }
  }

  /**
   * Takes {@code n} from the connection's {@code bucket}, or refuses the request with
   * rate_limited and stops reading from the socket until they would be there: a flooding client
   * then waits in its own TCP buffers instead of costing the server a refusal per message.
   */
  private void take(RateLimit bucket, int n, String what) {
    long now = System.nanoTime();
    if (bucket.take(now, n)) {
      return;
    }
    long wait = bucket.nanosUntil(now, n);
    if (wait == Long.MAX_VALUE) {
      throw ErrorCode.RATE_LIMITED.with(n + " " + what + " at once are more than this server"
          + " allows in a burst: send fewer per request");
    }
    connection.pauseReading(wait);
    throw ErrorCode.RATE_LIMITED.with("too many " + what + " a second: slow down and resend");
  }

  private static Verdict.Allowed refuseUnless(Verdict verdict) {
    if (verdict instanceof Verdict.Refused r) {
      throw ErrorCode.FORBIDDEN.with(r.reason());
    }
    return (Verdict.Allowed) verdict;
  }

  private Membership member(String room) {
    Membership m = rooms.get(room);
    if (m == null) {
      throw ErrorCode.NOT_JOINED.with("join room " + room + " first");
    }
    return m;
  }

  private Membership writable(String room) {
    Membership m = member(room);
    if (!m.role.canWrite()) {
      throw ErrorCode.FORBIDDEN.with("readers cannot write");
    }
    return m;
  }

  /**
   * Hands {@code then} room {@code name}: the one this node knows, else the one the shared store
   * holds (made on another node since this one started, decision 026); a room neither holds is
   * refused unknown_room with {@code unknown}.
   */
  private void withRoom(Object id, String name, String unknown, Consumer<RoomHandle> then) {
    RoomHandle known = door.engine().room(name);
    if (known != null) {
      then.accept(known);
      return;
    }
    door.engine().find(name, (found, failure) -> {
      try {
        if (failure != null) {
          connection.send(ServerMessages.error(id, ErrorCode.ROOM_FAILED,
              String.valueOf(failure.getMessage()), name));
        } else if (found == null) {
          throw ErrorCode.UNKNOWN_ROOM.with(unknown);
        } else {
          then.accept(found);
        }
      } catch (ProtocolException e) {
        connection.send(ServerMessages.error(id, e.error(), e.getMessage(), null));
      } catch (RuntimeException e) {
        failed(id, e);
      }
    });
  }

  /** A reply that sends the encoded answer, or a room_failed error, or (a bug) an internal one. */
  private <T> Reply<T> reply(Object id, String room, Function<T, byte[]> encode) {
    return (value, failure) -> {
      if (failure != null) {
        connection.send(ServerMessages.error(id, ErrorCode.ROOM_FAILED,
            String.valueOf(failure.getMessage()), room));
        return;
      }
      byte[] answer;
      try {
        answer = encode.apply(value);
      } catch (RuntimeException e) {
        failed(id, e);
        return;
      }
      connection.send(answer);
    };
  }
}
