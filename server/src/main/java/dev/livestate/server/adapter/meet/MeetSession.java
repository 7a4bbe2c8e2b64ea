package dev.livestate.server.adapter.meet;

import dev.livestate.engine.Broadcast;
import dev.livestate.engine.Origin;
import dev.livestate.engine.RoomClosed;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.RoomEvent;
import dev.livestate.engine.Subscriber;
import dev.livestate.op.Change;
import dev.livestate.op.Proposal;
import dev.livestate.protocol.CloseReason;
import dev.livestate.room.Position;
import dev.livestate.room.Role;
import dev.livestate.room.Writer;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.server.http.Connection;
import dev.livestate.server.http.Frame;
import dev.livestate.server.http.OpenConnections;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One OpenLifter connection: maps its decoded messages to calls on the meets and the meet's
 * room, and their answers and the room's events to {@link MeetMessages}. Messages arrive on the
 * connection's event loop; replies and relays are sent from the meet room's lane. A connection
 * follows one meet at a time: the one of the last session it used.
 */
final class MeetSession implements OpenConnections.Session {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** One instance: a relay is encoded once, as one frame, for every display. */
  private static final Function<RoomEvent, Frame> RELAY = Frame.sharing(MeetMessages.RELAY);

  private final Meets meets;
  private final Connection connection;
  private final MeetCodec codec;
  private final String address;
  private final Mailing mailing;
  private volatile Following following;

  /** Sends the publish confirmation; implemented by the surface (it may be off). */
  interface Mailing {
    io.vertx.core.Future<Boolean> send(String to, String meetId, String csv);
  }

  MeetSession(Meets meets, Connection connection, MeetCodec codec, String address,
      Mailing mailing) {
    this.meets = meets;
    this.connection = connection;
    this.codec = codec;
    this.address = address;
    this.mailing = mailing;
  }

  /** This connection's subscription to one meet room. */
  @Override
  public List<String> rooms() {
    Following now = following;
    return now == null ? List.of() : List.of(now.room.name());
  }

  private final class Following implements Subscriber {
    final RoomHandle room;
    /** A location's own changes are not relayed back to this connection (but to its others). */
    final Origin.Client origin;

    Following(RoomHandle room, String location) {
      this.room = room;
      this.origin = new Origin.Client(location != null ? location : displayId(), connection.number());
    }

    @Override
    public Origin.Client connection() {
      return origin;
    }

    @Override
    public void deliver(Broadcast broadcast) {
      Frame relay = broadcast.encoded(RELAY);
      if (relay != null) {
        connection.send(relay);
      }
    }

    @Override
    public void closed(String roomName, RoomClosed reason) {
      if (following == this) {
        following = null;
      }
      // A purged meet just stops: its sessions now get INVALID_SESSION. A failed store drops
      // the connection so the client reconnects and pulls once the meet is recovered.
      if (reason != RoomClosed.DELETED) {
        connection.close(CloseReason.SERVER_ERROR, "meet closed: " + reason.wireName());
      }
    }
  }

  @Override
  public void onText(String text) {
    MeetRequest m;
    try {
      m = codec.decode(text);
    } catch (MeetCodec.Malformed e) {
      connection.send(MeetMessages.malformed(e.getMessage()));
      return;
    } catch (MeetCodec.UnknownType e) {
      connection.send(MeetMessages.unknownType(e.msgType));
      return;
    }
    if (m instanceof MeetRequest.CreateMeet c) {
      meets.create(c, address).onComplete(ar -> {
        if (ar.failed()) {
          connection.send(MeetMessages.malformed(reason(ar.cause())));
        } else {
          admitted(ar.result(), MeetMessages::created);
        }
      });
    } else if (m instanceof MeetRequest.JoinMeet j) {
      meets.join(j, address).onComplete(ar -> {
        if (ar.failed()) {
          connection.send(MeetMessages.joinRejected(reason(ar.cause())));
        } else {
          admitted(ar.result(), MeetMessages::joined);
        }
      });
    } else if (m instanceof MeetRequest.UpdateInit u) {
      update(u);
    } else if (m instanceof MeetRequest.ClientPull p) {
      pull(p);
    } else if (m instanceof MeetRequest.PublishMeet p) {
      publish(p);
    }
  }

  @Override
  public void onBinary() {
    connection.send(
        MeetMessages.malformed("binary frames are not part of the protocol: send JSON"));
  }

  @Override
  public void onClose() {
    Following f = following;
    following = null;
    if (f != null) {
      f.room.leave(f);
    }
  }

  /** A display-only connection follows a meet under an id of its own. */
  private static String displayId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "meet-display-" + HexFormat.of().formatHex(b);
  }

  private String reason(Throwable t) {
    return t instanceof Meets.Refused ? t.getMessage() : "server error: " + t.getMessage();
  }

  /** MEET_CREATED or MEET_JOINED, once the session is stored and this connection follows. */
  private void admitted(Meets.Issued issued, BiFunction<Meets.Issued, Position, byte[]> message) {
    Meets.Session s = issued.session();
    follow(s, s.room().head(), c -> connection.send(message.apply(issued, c.head())));
  }

  /**
   * Makes this connection follow the session's meet from {@code since} (leaving another meet it
   * followed) and hands over the catch-up; if it already follows, just catches up.
   */
  private void follow(Meets.Session s, Position since, Consumer<CatchUp> then) {
    Following f = following;
    if (f != null && f.room == s.room()) {
      s.room().catchUp(since, (c, failure) -> answer(c, failure, then));
      return;
    }
    if (f != null) {
      f.room.leave(f);
    }
    Following next = new Following(s.room(), s.location());
    following = next;
    s.room().join(next, since, (joined, failure) ->
        answer(joined == null ? null : joined.catchUp(), failure, then));
  }

  private void answer(CatchUp c, Throwable failure, Consumer<CatchUp> then) {
    if (failure != null) {
      connection.send(MeetMessages.malformed("server error: " + failure.getMessage()));
    } else {
      then.accept(c);
    }
  }

  private Meets.Session session(String token) {
    Meets.Session s = meets.session(token);
    if (s == null) {
      connection.send(MeetMessages.invalidSession(token, "unknown or expired session"));
    }
    return s;
  }

  private void update(MeetRequest.UpdateInit u) {
    Meets.Session s = session(u.sessionToken());
    if (s == null) {
      return;
    }
    if (s.displayOnly() || s.location() == null) {
      List<MeetMessages.Rejected> all = new ArrayList<>();
      for (MeetRequest.Update x : u.updates()) {
        all.add(new MeetMessages.Rejected(x.localSeqNum(), x.updateKey(),
            "display-only session: cannot update", null));
      }
      connection.send(MeetMessages.rejected(all));
      return;
    }
    Position head = s.room().head();
    boolean lost = u.serverEpoch() != null && !u.serverEpoch().equals(head.epoch());
    List<Proposal> proposals = new ArrayList<>(u.updates().size());
    for (MeetRequest.Update x : u.updates()) {
      lost |= x.afterServerSeqNum() > head.seq();
      proposals.add(new Proposal(x.localSeqNum(), x.afterServerSeqNum(),
          Change.Put.of(x.updateKey(), x.updateValue())));
    }
    if (lost) {
      // The client saw seqs this meet never issued: the server lost state. Ask for the logs.
      follow(s, head, c -> connection.send(MeetMessages.serverPull(head)));
      return;
    }
    Following f = following;
    if (f == null || f.room != s.room()) {
      follow(s, head, c -> submit(s, u, proposals));
    } else {
      submit(s, u, proposals);
    }
  }

  private void submit(Meets.Session s, MeetRequest.UpdateInit u, List<Proposal> proposals) {
    Writer writer = new Writer(s.location(), Role.WRITER, s.priority());
    Origin.Client origin = new Origin.Client(s.location(), connection.number());
    s.room().submit(writer, origin, proposals, (outcomes, failure) -> {
      if (failure != null) {
        connection.send(MeetMessages.malformed("server error: " + failure.getMessage()));
        return;
      }
      List<Outcome.Accepted> acks = new ArrayList<>();
      List<MeetMessages.Rejected> rejected = new ArrayList<>();
      for (int i = 0; i < outcomes.size(); i++) {
        Outcome o = outcomes.get(i);
        String key = u.updates().get(i).updateKey();
        if (o instanceof Outcome.Accepted a) {
          acks.add(a);
        } else if (o instanceof Outcome.Rejected r) {
          rejected.add(MeetMessages.Rejected.of(r, key));
        }
      }
      if (!acks.isEmpty()) {
        connection.send(MeetMessages.acks(acks, s.room().head().epoch()));
      }
      if (!rejected.isEmpty()) {
        connection.send(MeetMessages.rejected(rejected));
        byte[] resolved = MeetMessages.resolved(rejected);
        if (resolved != null) {
          connection.send(resolved);
        }
      }
    });
  }

  private void pull(MeetRequest.ClientPull p) {
    Meets.Session s = session(p.sessionToken());
    if (s == null) {
      return;
    }
    String epoch = p.serverEpoch() != null ? p.serverEpoch() : s.room().head().epoch();
    follow(s, new Position(epoch, p.lastServerSeq()), c -> {
      if (c instanceof CatchUp.Resubmit r) {
        connection.send(MeetMessages.serverPull(r.head()));
      } else {
        connection.send(MeetMessages.pulled(c));
      }
    });
  }

  private void publish(MeetRequest.PublishMeet p) {
    Meets.Session s = session(p.sessionToken());
    if (s == null) {
      return;
    }
    if (s.displayOnly() || s.location() == null) {
      connection.send(MeetMessages.publishRejected("display-only session: cannot publish"));
      return;
    }
    meets.publish(s, p.returnEmail(), p.oplCsv())
        .compose(v -> mailing.send(p.returnEmail(), s.meetId(), p.oplCsv()))
        .onComplete(ar -> {
          if (ar.failed()) {
            connection.send(MeetMessages.publishRejected(reason(ar.cause())));
          } else {
            connection.send(MeetMessages.publishAck(s.meetId(), ar.result()));
          }
        });
  }
}
