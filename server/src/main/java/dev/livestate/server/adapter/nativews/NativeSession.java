package dev.livestate.server.adapter.nativews;

import dev.livestate.engine.Broadcast;
import dev.livestate.engine.Engine;
import dev.livestate.engine.Origin;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomClosed;
import dev.livestate.engine.RoomEvent;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.Subscriber;
import dev.livestate.protocol.ErrorCode;
import dev.livestate.protocol.ProtocolException;
import dev.livestate.protocol.Request;
import dev.livestate.protocol.RequestCodec;
import dev.livestate.protocol.ServerMessages;
import dev.livestate.room.Leadership;
import dev.livestate.room.Role;
import dev.livestate.room.Writer;
import dev.livestate.server.http.Connection;
import dev.livestate.server.http.Frame;
import dev.livestate.server.http.OpenConnections;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One native connection: maps requests to engine calls and room events to messages. Requests
 * arrive on the connection's event loop; replies and events are sent from room lanes.
 */
final class NativeSession implements OpenConnections.Session {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** One instance: a broadcast is encoded once, as one frame, for every subscriber. */
  private static final Function<RoomEvent, Frame> EVENT = Frame.sharing(ServerMessages.EVENT);

  private final Engine engine;
  private final Connection connection;
  private final RequestCodec codec;
  private final String token;
  private final int maxRooms;
  private final Map<String, Membership> rooms = new ConcurrentHashMap<>();
  private String clientId;
  /** This connection as the engine knows it; changes with the client id at hello. */
  private volatile Origin.Client origin;
  private boolean greeted;

  NativeSession(Engine engine, Connection connection, RequestCodec codec, String token,
      int maxRooms) {
    this.engine = engine;
    this.connection = connection;
    this.codec = codec;
    this.token = token;
    this.maxRooms = maxRooms;
    byte[] b = new byte[9];
    RANDOM.nextBytes(b);
    this.clientId = "c-" + HexFormat.of().formatHex(b);
    this.origin = new Origin.Client(clientId, connection.number());
  }

  /** This connection's membership of one room. */
  private final class Membership implements Subscriber {
    final RoomHandle room;
    final Role role;
    final int priority;

    Membership(RoomHandle room, Role role, int priority) {
      this.room = room;
      this.role = role;
      this.priority = priority;
    }

    @Override
    public Origin.Client connection() {
      return origin;
    }

    @Override
    public void deliver(Broadcast broadcast) {
      connection.send(broadcast.encoded(EVENT));
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
      request = codec.decode(text);
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
    }
  }

  @Override
  public void onBinary() {
    connection.send(ServerMessages.error(null, ErrorCode.BAD_REQUEST,
        "binary frames are not part of the protocol: send JSON text", null));
  }

  /** The connection is gone: leave every room, giving up presence and leadership. */
  @Override
  public void onClose() {
    rooms.values().forEach(this::leave);
    rooms.clear();
  }

  /** Out of the room, and with it its presence and, if this client led, its leadership. */
  private void leave(Membership m) {
    m.room.leave(m);
    m.room.removePresence(clientId);
    if (clientId.equals(m.room.leader())) {
      m.room.releaseLeader(clientId, Reply.ignore());
    }
  }

  private void handle(Request request) {
    if (request instanceof Request.Hello h) {
      hello(h);
      return;
    }
    if (!token.isEmpty() && !greeted) {
      throw ErrorCode.UNAUTHORIZED.with("send hello with the server's token first");
    }
    greeted = true;
    if (request instanceof Request.Join j) {
      join(j);
    } else if (request instanceof Request.Leave l) {
      Membership m = member(l.room());
      rooms.remove(l.room());
      leave(m);
      connection.send(ServerMessages.roomReply("left", l.id(), l.room()));
    } else if (request instanceof Request.Submit s) {
      Membership m = writable(s.room());
      m.room.submit(new Writer(clientId, m.role, m.priority), origin, s.changes(),
          reply(s.id(), s.room(), outcomes -> ServerMessages.result(s.id(), s.room(), outcomes)));
    } else if (request instanceof Request.Lead l) {
      Membership m = writable(l.room());
      m.room.claimLeader(clientId,
          reply(l.id(), l.room(), lead -> ServerMessages.leadership(l.id(), l.room(), lead)));
    } else if (request instanceof Request.Unlead u) {
      member(u.room()).room.releaseLeader(clientId,
          reply(u.id(), u.room(), released -> ServerMessages.unled(u.id(), u.room(), released)));
    } else if (request instanceof Request.SetPresence p) {
      member(p.room()).room.setPresence(clientId, p.data());
      connection.send(ServerMessages.roomReply("presence", p.id(), p.room()));
    } else if (request instanceof Request.Publish p) {
      long time = p.time() != null ? p.time() : engine.clock().millis();
      writable(p.room()).room.publish(time, p.body(),
          reply(p.id(), p.room(), m -> ServerMessages.published(p.id(), p.room(), m)));
    } else if (request instanceof Request.History h) {
      existing(h.room()).readStream(h.from(), h.to(),
          reply(h.id(), h.room(), list -> ServerMessages.history(h.id(), h.room(), list)));
    } else if (request instanceof Request.Ping p) {
      connection.send(ServerMessages.pong(p.id()));
    }
  }

  private void hello(Request.Hello h) {
    if (greeted) {
      throw ErrorCode.BAD_REQUEST.with("hello must be the first request");
    }
    if (!token.isEmpty() && !token.equals(h.token())) {
      throw ErrorCode.UNAUTHORIZED.with("wrong or missing token");
    }
    if (h.clientId() != null) {
      if (h.clientId().isEmpty()) {
        throw ErrorCode.BAD_REQUEST.with("'clientId' must not be empty");
      }
      clientId = h.clientId();
      origin = new Origin.Client(clientId, connection.number());
    }
    greeted = true;
    connection.send(ServerMessages.welcome(h.id(), clientId));
  }

  private void join(Request.Join j) {
    if (rooms.containsKey(j.room())) {
      throw ErrorCode.ALREADY_JOINED.with("already in room " + j.room());
    }
    if (rooms.size() >= maxRooms) {
      throw ErrorCode.TOO_MANY_ROOMS.with("a connection may be in at most " + maxRooms + " rooms");
    }
    RoomHandle room = engine.room(j.room());
    if (room == null) {
      if (j.create() == null) {
        throw ErrorCode.UNKNOWN_ROOM.with("no room " + j.room() + " (join with create to make it)");
      }
      try {
        room = engine.open(j.room(), j.create());
      } catch (IllegalArgumentException e) {
        throw ErrorCode.BAD_REQUEST.with(e.getMessage());
      }
    }
    Membership m = new Membership(room, j.role(), j.priority());
    rooms.put(j.room(), m);
    Runnable subscribe = () -> m.room.join(m, j.since(), (joined, failure) -> {
      if (failure != null) {
        rooms.remove(j.room(), m);
        connection.send(ServerMessages.error(j.id(), ErrorCode.ROOM_FAILED, failure.getMessage(),
            j.room()));
      } else {
        connection.send(ServerMessages.joined(j.id(), j.room(), joined));
      }
    });
    if (j.role() != Role.LEADER) {
      subscribe.run();
      return;
    }
    room.claimLeader(clientId, (lead, failure) -> {
      if (lead instanceof Leadership.Refused refused) {
        rooms.remove(j.room(), m);
        connection.send(ServerMessages.error(j.id(), ErrorCode.FORBIDDEN,
            "room is led by " + refused.holder() + " and refuses takeovers", j.room()));
      } else {
        subscribe.run();
      }
    });
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

  private RoomHandle existing(String room) {
    RoomHandle r = engine.room(room);
    if (r == null) {
      throw ErrorCode.UNKNOWN_ROOM.with("no room " + room);
    }
    return r;
  }

  /** A reply that sends the encoded answer, or a room_failed error. */
  private <T> Reply<T> reply(Object id, String room, Function<T, byte[]> encode) {
    return (value, failure) -> {
      if (failure != null) {
        connection.send(ServerMessages.error(id, ErrorCode.ROOM_FAILED,
            String.valueOf(failure.getMessage()), room));
      } else {
        connection.send(encode.apply(value));
      }
    };
  }
}
