package dev.livestate.engine;

import dev.livestate.op.Op;
import dev.livestate.room.Position;
import dev.livestate.room.Room;
import dev.livestate.room.RoomConfig;
import dev.livestate.state.Entry;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A room another node owns, relayed to its subscribers on this node (decision 021). The owner
 * tells of each committed batch by its seq range; the follower reads the ops after the last one
 * it delivered from the shared store and hands them to the {@link Fanout}, so a gap (a lost
 * message) is repaired by the same read that delivers, and an op is never delivered twice or
 * out of order. A join is answered from such a read too, and its subscriber added in the same
 * lane step that moves the delivered position to what it read: "catch-up, then live, no gap,
 * no duplicate". Lane only.
 */
final class Follower {
  private static final System.Logger LOG = System.getLogger(Follower.class.getName());

  /** A join waiting for the next read of the store. */
  private record Waiting(Subscriber subscriber, Position since, Reply<Joined> reply) {}

  private final String room;
  private final RoomConfig config;
  private final Store store;
  private final Executor lane;
  private final Clock clock;
  private final Fanout fanout;
  private final Peers peers;
  private Peers.Following following;
  /** The node that told of the last batch: the owner, as far as this node knows. */
  private String owner = "owner";
  private boolean ready;
  /** The epoch and seq through which this node's subscribers were handed ops (-1: none yet). */
  private String epoch;
  private long delivered = -1;
  private boolean reading;
  /** Whether another read must follow the one under way: news came in during it. */
  private boolean readAgain;
  private List<Waiting> joins = new ArrayList<>();

  Follower(String room, RoomConfig config, Store store, Executor lane, Clock clock,
      Fanout fanout, Peers peers) {
    this.room = room;
    this.config = config;
    this.store = store;
    this.lane = lane;
    this.clock = clock;
    this.fanout = fanout;
    this.peers = peers;
  }

  void join(Subscriber subscriber, Position since, Reply<Joined> reply) {
    joins.add(new Waiting(subscriber, since, reply));
    if (following == null) {
      // news from before the read that answers the join are in that read
      following = peers.follow(room, batch -> lane.execute(() -> told(batch)),
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
    }
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
    read();
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

  private void read() {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    store.load(room, clock.millis(), (stored, f) -> lane.execute(() -> loaded(stored, f)));
  }

  private void loaded(StoredRoom stored, Throwable failure) {
    reading = false;
    if (following == null) {
      return;
    }
    if (failure != null || stored == null) {
      LOG.log(System.Logger.Level.WARNING, "room " + room + " could not be read from the store"
          + (failure == null ? ": not there" : ": " + failure));
      refuseJoins(new IllegalStateException("room " + room
          + " could not be read from its store; retry later", failure));
    } else {
      StoredRoom consistent = consistent(stored);
      deliver(consistent);
      answerJoins(consistent);
    }
    if (readAgain) {
      readAgain = false;
      read();
    }
  }

  /**
   * The room as of one seq. A store may read a room's head, entries and ops one after another
   * while the owner commits: the entries then reach past the head (their newest seq is the
   * point they show) and the ops, read last, reach past both. So the room is taken at its
   * newest entry's seq, and the ops after it are left to the next read.
   */
  static StoredRoom consistent(StoredRoom s) {
    long at = s.head();
    for (Entry e : s.entries().values()) {
      at = Math.max(at, e.seq());
    }
    long through = at;
    List<Op> ops = s.recentOps().stream().filter(op -> op.seq() <= through).toList();
    return new StoredRoom(s.name(), s.config(), s.epoch(), through, s.entries(), ops,
        s.stream(), s.attributes(), s.ledger());
  }

  /** Hands this node's subscribers the ops after the last delivered one. */
  private void deliver(StoredRoom stored) {
    if (delivered >= 0 && !stored.epoch().equals(epoch)) {
      // the room was made anew: what its subscribers hold is of a room that is gone
      fanout.closeAll(RoomClosed.MOVED);
    } else if (delivered >= 0 && stored.head() > delivered) {
      List<Op> ops = stored.recentOps();
      if (ops.isEmpty() || ops.get(0).seq() > delivered + 1) {
        // trimmed before this node read it: its subscribers must join again from their positions
        fanout.closeAll(RoomClosed.MOVED);
      } else {
        relay(ops);
      }
    }
    epoch = stored.epoch();
    delivered = Math.max(delivered, stored.head());
  }

  /** Delivers each writer's run of ops after {@code delivered} as one event, in seq order. */
  private void relay(List<Op> ops) {
    Origin peer = new Origin.Peer(owner);
    List<Op> run = new ArrayList<>();
    for (Op op : ops) {
      if (op.seq() <= delivered) {
        continue;
      }
      if (!run.isEmpty() && !run.get(0).writer().equals(op.writer())) {
        fanout.deliver(new RoomEvent.Relayed(room, run.get(0).writer(), peer, run));
        run = new ArrayList<>();
      }
      run.add(op);
    }
    if (!run.isEmpty()) {
      fanout.deliver(new RoomEvent.Relayed(room, run.get(0).writer(), peer, run));
    }
  }

  private void answerJoins(StoredRoom stored) {
    if (joins.isEmpty()) {
      return;
    }
    Room read = Room.recover(room, config, stored.epoch(), stored.head(), stored.entries(),
        stored.recentOps(), stored.ledger(), stored.attributes().containsKey(LiveRoom.SEALED));
    List<Waiting> answered = joins;
    joins = new ArrayList<>();
    for (Waiting w : answered) {
      fanout.add(w.subscriber());
      w.reply().done(new Joined(read.catchUp(w.since()), null, Map.of(), read.sealed()), null);
    }
  }
}
