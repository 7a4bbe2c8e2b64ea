package dev.livestate.engine;

import dev.livestate.op.Op;
import dev.livestate.room.Position;
import dev.livestate.room.Room;
import dev.livestate.room.RoomConfig;
import dev.livestate.state.Entry;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import dev.livestate.sync.Outcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A room another node owns, relayed to its subscribers on this node (decision 021). The owner
 * tells of each committed batch by its seq range; the follower reads the ops after the last one
 * it delivered from the shared store ({@link Store#loadAfter}) and hands them to the {@link
 * Fanout}, so a gap (a lost message) is repaired by the same read that delivers, and an op is
 * never delivered twice or out of order. A join is answered from a read of the whole room that
 * started after the join came, and its subscriber added in the same lane step that moves the
 * delivered position to what it read: "catch-up, then live, no gap, no duplicate".
 *
 * <p>A writer here has its submits handed to the owner (decision 023). Its own ops come back
 * through the store like any other, and are relayed as the owner relays them: to every
 * subscriber but the connection that wrote them. The owner's answer is held until the ops it
 * names (its acks' seqs, a conflict's winning seqs) were handed to this node's subscribers, so
 * the writer sees the room in the order a single node shows it; and a read stops before an op
 * of a writer here whose answer has not come back, so no later op overtakes that answer. A
 * submit handed over is never handed on again: the owner answers it or refuses it.
 *
 * <p>Every other request the room cannot serve here goes to the owner too, its answer relayed
 * as it comes (decision 024). The owner's other events (leader, presence, stream, seal) come as
 * news with the seq they happened at, and are handed on after the ops through it; who leads and
 * who is present is kept in a {@link Mirror} for the joins here. Each read of the store also
 * brings the room's attributes and head here up to date (decision 026). Lane only.
 */
final class Follower {
  private static final System.Logger LOG = System.getLogger(Follower.class.getName());

  /**
   * A join waiting for a read of the store that started after it came ({@code readsBefore}: the
   * reads started by then): one started earlier may not hold what the joining client was acked.
   */
  private record Waiting(Subscriber subscriber, Position since, Reply<Joined> reply,
      long readsBefore) {}

  private final String room;
  private final RoomConfig config;
  private final Store store;
  private final Executor lane;
  private final Clock clock;
  private final Fanout fanout;
  private final Peers peers;
  /** The room's attributes on this node: each read of the store refreshes them. */
  private final Attributes attributes;
  /** Told the position this node's subscribers were handed ops through, after each read. */
  private final Consumer<Position> heads;
  /** Who leads the room and who is present in it, as the owner tells. */
  private final Mirror mirror;
  /** Told that the owner deleted the room this node's subscribers read. */
  private final Runnable deleted;
  private Peers.Following following;
  /** The node that told of the last batch: the owner, as far as this node knows. */
  private String owner = "owner";
  private boolean ready;
  /** The epoch and seq through which this node's subscribers were handed ops (-1: none yet). */
  private String epoch;
  private long delivered = -1;
  private boolean reading;
  private long readsStarted;
  /** Whether another read must follow the one under way: news came in during it. */
  private boolean readAgain;
  private List<Waiting> joins = new ArrayList<>();
  /** The connection here each writer last submitted through: its ops are not sent back to it. */
  private final Map<String, Origin> writers = new HashMap<>();
  /** Owners' answers waiting for the ops they name to be delivered, by the last seq named. */
  private final TreeMap<Long, List<Runnable>> answers = new TreeMap<>();
  /** Submits handed to the owner and not answered yet, by writer. */
  private final Map<String, Integer> inFlight = new HashMap<>();
  /** Seqs of ops written here whose answer came back and that are not delivered yet. */
  private final TreeSet<Long> answered = new TreeSet<>();
  /** Whether the last read stopped at an op whose answer had not come back. */
  private boolean heldBack;

  Follower(String room, RoomConfig config, Store store, Executor lane, Clock clock,
      Fanout fanout, Peers peers, Attributes attributes, Consumer<Position> heads,
      Runnable deleted) {
    this.room = room;
    this.deleted = deleted;
    this.attributes = attributes;
    this.heads = heads;
    this.config = config;
    this.store = store;
    this.lane = lane;
    this.clock = clock;
    this.fanout = fanout;
    this.peers = peers;
    this.mirror = new Mirror(room, this::answerAfter, fanout::deliver, this::refresh);
  }

  /** The leader as this node's subscribers were told; any thread. */
  String leader() {
    return mirror.leader();
  }

  /** Joins {@code subscriber} to the room that node {@code owner} decides. */
  void join(String owner, Subscriber subscriber, Position since, Reply<Joined> reply) {
    this.owner = owner;
    joins.add(new Waiting(subscriber, since, reply, readsStarted));
    if (following == null) {
      // news from before the read that answers the join are in that read
      following = peers.follow(room, news -> lane.execute(() -> heard(news)),
          (v, f) -> lane.execute(() -> followed(f)));
    } else if (ready) {
      read();
    }
  }

  /**
   * Reads the room again if anyone here follows it: an announcement lost on the bus is
   * repaired by the next one, and the last one of a burst by this, the periodic upkeep.
   */
  void poll() {
    if (following != null && ready && fanout.count() > 0) {
      read();
      refresh();
    }
  }

  /** Asks the owner who leads and who is present: repairs the mirror after a lost event. */
  private void refresh() {
    if (following == null) {
      return;
    }
    peers.forward(owner, room, new RoomRequest.Company(), (company, f) -> lane.execute(() -> {
      if (company != null && following != null) {
        mirror.company(company);
      }
    }));
  }

  /** Node {@code node} left the live nodes: if it owned the room, what its clients held went. */
  void nodeLeft(String node) {
    if (following != null && node.equals(owner)) {
      mirror.ownerGone();
    }
  }

  /**
   * {@code reply}, or where it is told this node does not own the room, the submit handed to
   * the owner with the owner's answer relayed to {@code reply}.
   */
  Reply<List<Outcome>> orForward(RoomRequest.Submit submit, Origin origin, boolean forwardable,
      Reply<List<Outcome>> reply) {
    return (outcomes, failure) -> {
      if (failure instanceof Ownership.NotOwner n && forwardable) {
        lane.execute(() -> forward(n.owner(), submit, origin, reply));
      } else {
        reply.done(outcomes, failure);
      }
    };
  }

  /**
   * {@code reply}, or where it is told this node does not own the room (and {@code forwardable}),
   * {@code request} handed to the owner with the owner's answer relayed to {@code reply}.
   */
  <A> Reply<A> orForward(RoomRequest<A> request, boolean forwardable, Reply<A> reply) {
    return orForward(request, forwardable, reply, reply);
  }

  /** As {@link #orForward(RoomRequest, boolean, Reply)}, the owner's answer to {@code relay}. */
  <A> Reply<A> orForward(RoomRequest<A> request, boolean forwardable, Reply<A> relay,
      Reply<A> reply) {
    return (answer, failure) -> {
      if (failure instanceof Ownership.NotOwner n && forwardable) {
        peers.forward(n.owner(), room, request, (a, f) -> lane.execute(() -> relay.done(a,
            f == null ? null : new IllegalStateException("room " + room + " is served by node "
                + n.owner() + ", which did not answer (" + f.getMessage() + "): retry", f))));
      } else {
        reply.done(answer, failure);
      }
    };
  }

  private void forward(String to, RoomRequest.Submit submit, Origin origin,
      Reply<List<Outcome>> reply) {
    String writer = submit.writer().clientId();
    writers.put(writer, origin);
    inFlight.merge(writer, 1, Integer::sum);
    peers.forward(to, room, submit, (outcomes, failure) -> lane.execute(() -> {
      inFlight.computeIfPresent(writer, (w, n) -> n > 1 ? n - 1 : null);
      if (heldBack && ready) {
        heldBack = false;
        read();
      }
      if (failure != null) {
        reply.done(null, new IllegalStateException("room " + room + " is served by node " + to
            + ", which did not decide the changes (" + failure.getMessage() + "): send them again",
            failure));
      } else {
        outcomes.forEach(o -> {
          if (o instanceof Outcome.Accepted a) {
            answered.add(a.seq());
          }
        });
        answerAfter(lastNamed(outcomes), () -> reply.done(outcomes, null));
      }
    }));
  }

  /** The last seq the outcomes name: an ack's seq, or a conflict's winning one (0: none). */
  static long lastNamed(List<Outcome> outcomes) {
    long last = 0;
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Accepted a) {
        last = Math.max(last, a.seq());
      } else if (o instanceof Outcome.Rejected r) {
        for (Entry e : r.winners().values()) {
          last = Math.max(last, e.seq());
        }
      }
    }
    return last;
  }

  /** Runs {@code answer} once the ops through {@code seq} were handed to the subscribers here. */
  private void answerAfter(long seq, Runnable answer) {
    if (following == null || seq <= delivered) {
      answer.run();
      return;
    }
    answers.computeIfAbsent(seq, s -> new ArrayList<>()).add(answer);
    if (ready) {
      read();
    }
  }

  /** Runs the waiting answers that name no op after {@code seq}. */
  private void answerThrough(long seq) {
    while (!answers.isEmpty() && answers.firstKey() <= seq) {
      answers.pollFirstEntry().getValue().forEach(Runnable::run);
    }
  }

  /**
   * {@code reply}, or where it is told this node does not own the room, {@code read} of the room
   * as the shared store holds it.
   */
  <T> Reply<T> orRead(Function<Room, T> read, Reply<T> reply) {
    return (value, failure) -> {
      if (failure instanceof Ownership.NotOwner) {
        store.load(room, clock.millis(), (stored, f) -> {
          if (f != null || stored == null) {
            reply.done(null, new IllegalStateException(
                "room " + room + " could not be read from its store; retry later", f));
          } else {
            reply.done(read.apply(recovered(stored.consistent())), null);
          }
        });
      } else {
        reply.done(value, failure);
      }
    };
  }

  /**
   * {@code reply}, or where it is told this node does not own the room, once the room's
   * attributes (and, when nobody here follows it, its head) were read again from the store.
   */
  Reply<Void> orRefresh(Reply<Void> reply) {
    return (v, failure) -> {
      if (!(failure instanceof Ownership.NotOwner)) {
        reply.done(v, failure);
        return;
      }
      long token = attributes.readStarted();
      store.load(room, clock.millis(), (stored, f) -> lane.execute(() -> {
        attributes.read(token, stored == null ? null : stored.attributes());
        if (f != null || stored == null) {
          reply.done(null, new IllegalStateException(
              "room " + room + " could not be read from its store; retry later", f));
          return;
        }
        if (following == null) {
          heads.accept(new Position(stored.epoch(), stored.consistent().head()));
        }
        reply.done(null, null);
      }));
    };
  }

  /** This node stopped relaying the room (it owns it now, or nobody here reads it). */
  void stop() {
    if (following != null) {
      following.cancel();
      following = null;
    }
    ready = false;
    delivered = -1;
    epoch = null;
    heldBack = false;
    answered.clear();
    // what is left to deliver is no longer this node's to order
    answerThrough(Long.MAX_VALUE);
    mirror.stop();
    refuseJoins(new IllegalStateException("room " + room + " moved while joining; join again"));
  }

  private void refuseJoins(IllegalStateException why) {
    List<Waiting> refused = joins;
    joins = new ArrayList<>();
    refused.forEach(w -> w.reply().done(null, why));
  }

  private void followed(Throwable failure) {
    if (failure != null) {
      refuseJoins(new IllegalStateException(
          "room " + room + " cannot be followed from this node now; retry", failure));
      stop();
      return;
    }
    ready = true;
    refresh();
    read();
  }

  private void heard(Peers.News news) {
    if (news instanceof Peers.Batch b) {
      told(b);
    } else if (news instanceof Peers.Told t && t.event() instanceof RoomEvent.Deleted d) {
      // not a room of that name made since, whose readers here have read its new epoch
      if (following != null && (epoch == null || epoch.equals(d.epoch()))) {
        stop();
        deleted.run();
      }
    } else if (news instanceof Peers.Told t && following != null) {
      owner = t.node();
      mirror.told(t);
    }
  }

  private void told(Peers.Batch batch) {
    owner = batch.node();
    if (following != null && fanout.count() == 0 && joins.isEmpty()) {
      stop(); // nobody here reads the room any more
      return;
    }
    if (following == null || (epoch != null && batch.epoch().equals(epoch)
        && batch.through() <= delivered)) {
      return;
    }
    read();
  }

  /**
   * Reads the room: the whole of it for a join (its state and history answer the join), else
   * only the ops after those delivered, so that relaying costs what is new, not what is kept.
   */
  private void read() {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    long readNumber = ++readsStarted;
    long token = attributes.readStarted();
    Store.Loaded then = (stored, f) -> lane.execute(() -> loaded(readNumber, token, stored, f));
    if (delivered < 0 || !joins.isEmpty()) {
      store.load(room, clock.millis(), then);
    } else {
      store.loadAfter(room, delivered, clock.millis(), then);
    }
  }

  private void loaded(long readNumber, long token, StoredRoom stored, Throwable failure) {
    reading = false;
    if (following == null) {
      attributes.read(token, null);
      return;
    }
    attributes.read(token, stored == null ? null : stored.attributes());
    if (failure != null || stored == null) {
      LOG.log(System.Logger.Level.WARNING, "room " + room + " could not be read from the store"
          + (failure == null ? ": not there" : ": " + failure));
      refuseJoins(new IllegalStateException("room " + room
          + " could not be read from its store; retry later", failure));
    } else {
      StoredRoom consistent = stored.consistent();
      deliver(consistent);
      if (delivered == consistent.head()) {
        answerJoins(readNumber, consistent); // else at the read after the answer held back comes
      }
    }
    if (readAgain) {
      readAgain = false;
      read();
    }
  }

  /** Hands this node's subscribers the ops after the last delivered one. */
  private void deliver(StoredRoom stored) {
    long through = stored.head();
    if (delivered >= 0 && !stored.epoch().equals(epoch)) {
      // the room was made anew: what its subscribers hold is of a room that is gone, and the
      // seqs this node delivered or waits for are of that room, not of the new one
      fanout.closeAll(RoomClosed.MOVED);
      delivered = -1;
      answered.clear();
      answerThrough(Long.MAX_VALUE);
    } else if (delivered >= 0 && stored.head() > delivered) {
      List<Op> ops = stored.recentOps();
      if (ops.isEmpty() || ops.get(0).seq() > delivered + 1) {
        // trimmed before this node read it: its subscribers must join again from their positions
        fanout.closeAll(RoomClosed.MOVED);
      } else {
        through = relay(ops);
      }
    }
    epoch = stored.epoch();
    delivered = Math.max(delivered, through);
    heads.accept(new Position(epoch, delivered));
    answered.headSet(delivered, true).clear();
    answerThrough(delivered);
  }

  /**
   * Delivers each writer's run of ops after {@code delivered} as one event, in seq order, up to
   * the first op of a writer here whose answer has not come back yet (its ack must not come
   * after later ops); returns the seq it delivered through.
   */
  private long relay(List<Op> ops) {
    Origin peer = new Origin.Peer(owner);
    List<Op> run = new ArrayList<>();
    long through = delivered;
    for (Op op : ops) {
      if (op.seq() <= delivered) {
        continue;
      }
      if (inFlight.containsKey(op.writer()) && !answered.contains(op.seq())) {
        heldBack = true;
        break;
      }
      if (!run.isEmpty() && !run.get(0).writer().equals(op.writer())) {
        relayRun(run, peer);
        run = new ArrayList<>();
      }
      if (run.isEmpty()) {
        answerThrough(op.seq() - 1);
      }
      run.add(op);
      through = op.seq();
    }
    if (!run.isEmpty()) {
      relayRun(run, peer);
    }
    return through;
  }

  /** One writer's ops, to every subscriber but the connection here that wrote them. */
  private void relayRun(List<Op> run, Origin peer) {
    String writer = run.get(0).writer();
    fanout.deliver(new RoomEvent.Relayed(room, writer, writers.getOrDefault(writer, peer), run));
  }

  private Room recovered(StoredRoom stored) {
    return Room.recover(room, config, stored.epoch(), stored.head(), stored.entries(),
        stored.recentOps(), stored.ledger(), stored.attributes().containsKey(LiveRoom.SEALED));
  }

  private void answerJoins(long readNumber, StoredRoom stored) {
    if (joins.stream().noneMatch(w -> w.readsBefore() < readNumber)) {
      return;
    }
    Room read = recovered(stored);
    List<Waiting> answered = new ArrayList<>();
    List<Waiting> waiting = new ArrayList<>();
    joins.forEach(w -> (w.readsBefore() < readNumber ? answered : waiting).add(w));
    joins = waiting;
    for (Waiting w : answered) {
      fanout.add(w.subscriber());
      w.reply().done(new Joined(read.catchUp(w.since()), mirror.leader(),
          mirror.presence(), read.sealed()), null);
    }
  }
}
