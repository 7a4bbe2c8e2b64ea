package dev.livestate.engine;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.op.Proposal;
import dev.livestate.presence.Presence;
import dev.livestate.room.Leadership;
import dev.livestate.room.Position;
import dev.livestate.room.Room;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.Stream;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A room decided on this node: its decisions on one lane, its writes to a store, and its
 * {@link Fanout} to the subscribers here. Every public method is thread-safe and returns at
 * once; the work runs on the room's lane.
 *
 * <p>Nothing leaves the room before it is committed: a decision applies at once (so the next
 * decision sees it), but its acks, relays and any reply that could reveal it wait in the
 * {@link CommitQueue} until the store confirms the write. Replies and events therefore reach
 * clients in the order the room decided them, and a client never sees an op that a crash could
 * take back. The room's creation is such a write too: nothing is answered before it commits.
 *
 * <p>A write that fails leaves the room's memory ahead of its store. The room then refuses
 * requests (room_failed) while its store is {@linkplain Store#failing failing}; the first
 * request after the store works again reloads the room from the store, as a restart would, and
 * is served with every request that came during the reload (decision 006).
 */
public final class LiveRoom implements RoomHandle {
  static final String SEALED = "sealed";

  private final String name;
  private final RoomConfig config;
  private final Store store;
  private final Executor lane;
  private final Clock clock;
  private final EngineListener listener;
  private final Fanout fanout;
  private final CommitQueue commits;
  private final Availability availability;
  /** Relays the room to subscribers here while another node owns it. */
  private final Follower follower;
  /** Told of each committed batch, when other nodes may follow the room. */
  private final Peers peers;
  private final Map<String, Json> attributes = new ConcurrentHashMap<>();
  // The room's memory (lane only): replaced whole when the room is reloaded from its store.
  private Room room;
  private Presence presence;
  private Stream stream;
  /** Told how the lease of a leader whose connection is gone ends (lane only). */
  private Reply<Boolean> lease;
  private long trimmedThrough;
  private volatile Position head;
  private volatile String leader;

  /** @param forget makes the engine forget the room when its store turns out not to hold it */
  LiveRoom(Room room, Store store, Executor lane, Clock clock, EngineListener listener,
      Consumer<LiveRoom> forget, Ownership ownership, Peers peers) {
    this.name = room.name();
    this.config = room.config();
    this.room = room;
    this.store = store;
    this.lane = lane;
    this.clock = clock;
    this.listener = listener;
    this.fanout = new Fanout(name, listener);
    this.commits = new CommitQueue(name, lane, listener, this::fail);
    this.availability = new Availability(name, store, lane, clock, this::restore,
        () -> forget.accept(this), ownership, () -> fanout.closeAll(RoomClosed.MOVED));
    this.presence = new Presence(config.presenceTimeout().toMillis());
    this.stream = new Stream(config.streamTtl().toMillis(), config.streamLimit());
    this.head = room.head();
    this.peers = ownership.governs(store) ? peers : Peers.NONE;
    this.follower = new Follower(name, config, store, lane, clock, fanout, this.peers);
  }

  /** The room {@code s} holds, with {@code config} (its stored one, or a bounded copy). */
  static LiveRoom recovered(StoredRoom s, RoomConfig config, Store store, Executor lane,
      Clock clock, EngineListener listener, Consumer<LiveRoom> forget, Ownership ownership,
      Peers peers) {
    LiveRoom live = new LiveRoom(new Room(s.name(), config, s.epoch()), store, lane, clock,
        listener, forget, ownership, peers);
    live.restore(s);
    return live;
  }

  /** Takes the room's memory from what its store holds, as a start would. */
  private void restore(StoredRoom s) {
    if (follower != null && fanout.count() > 0) {
      // relayed up to where this node read, not where it now decides: they join again
      fanout.closeAll(RoomClosed.MOVED);
    }
    if (follower != null) {
      follower.stop();
    }
    boolean sealed = s.attributes().containsKey(SEALED);
    // this room's config, which may bound its history more tightly than the stored one
    room = Room.recover(s.name(), config, s.epoch(), s.head(), s.entries(), s.recentOps(),
        s.ledger(), sealed);
    attributes.clear();
    attributes.putAll(s.attributes());
    presence = new Presence(config.presenceTimeout().toMillis());
    stream = new Stream(config.streamTtl().toMillis(), config.streamLimit());
    s.stream().forEach(stream::restore);
    trimmedThrough = s.recentOps().isEmpty() ? s.head() : s.recentOps().get(0).seq() - 1;
    head = room.head();
    leader = null;
    if (lease != null) {
      // the reloaded room has no leader: the one on a lease lost it
      Reply<Boolean> lost = lease;
      lease = null;
      lost.done(true, null);
    }
  }

  // ---- what can be read from any thread (a moment's view) ----

  @Override
  public String name() {
    return name;
  }

  @Override
  public RoomConfig config() {
    return config;
  }

  @Override
  public Position head() {
    return head;
  }

  @Override
  public String leader() {
    return leader;
  }

  @Override
  public int subscriberCount() {
    return fanout.count();
  }

  @Override
  public Json attribute(String key) {
    return attributes.get(key);
  }

  @Override
  public Map<String, Json> attributes(String prefix) {
    Map<String, Json> found = new java.util.HashMap<>(attributes);
    found.keySet().removeIf(k -> !k.startsWith(prefix));
    return found;
  }

  @Override
  public boolean sealed() {
    return attributes.containsKey(SEALED);
  }

  // ---- requests ----

  @Override
  public void join(Subscriber subscriber, Position since, Reply<Joined> reply) {
    Reply<Joined> orFollow = (joined, failure) -> {
      if (failure instanceof Ownership.NotOwner) {
        lane.execute(() -> follower.join(subscriber, since, reply));
      } else {
        reply.done(joined, failure);
      }
    };
    onLane(orFollow, () -> {
      CatchUp catchUp = room.catchUp(since);
      commits.afterCommits(reply, () -> {
        if (availability.gone() != null) {
          reply.done(null, availability.gone());
          return;
        }
        fanout.add(subscriber);
        reply.done(new Joined(catchUp, room.leader(), presence.all(), room.sealed()), null);
      });
    });
  }

  @Override
  public void leave(Subscriber subscriber) {
    lane.execute(() -> commits.afterCommits(null, () -> {
      if (!fanout.remove(subscriber)) {
        return;
      }
      String clientId = subscriber.clientId();
      if (!fanout.hasClient(clientId) && presence.remove(clientId)) {
        fanout.deliver(new RoomEvent.PresenceChanged(name, clientId, null));
      }
    }));
  }

  @Override
  public void submit(Writer writer, Origin origin, List<Proposal> proposals, long seenThrough,
      Reply<List<Outcome>> reply) {
    Reply<List<Outcome>> orForward =
        follower.orForward(new Peers.Submit(writer, proposals, seenThrough), origin, reply);
    onLane(orForward, () -> {
      listener.submitStart(name, proposals.size());
      long start = System.nanoTime();
      Room.Decision d = room.decide(writer, proposals, seenThrough, clock.millis());
      head = room.head();
      if (d.ledger().isEmpty()) {
        // every proposal was a resend: answered from the ledger once what it waits for commits
        commits.afterCommits(reply, () -> answer(reply, d.outcomes(), start));
        return;
      }
      RoomEvent.Relayed relayed = d.accepted().isEmpty() ? null
          : new RoomEvent.Relayed(name, writer.clientId(), origin, d.accepted());
      String epoch = room.epoch();
      CommitQueue.Pending p = commits.behindWrite(() -> {
        try {
          answer(reply, d.outcomes(), start);
        } finally {
          if (relayed != null) {
            fanout.deliver(relayed);
            List<Op> ops = relayed.ops();
            peers.committed(name, epoch, ops.get(0).seq(), ops.get(ops.size() - 1).seq());
          }
        }
      }, reply);
      store.append(name, d.accepted(), d.ledger(), commits.committed(p));
    });
  }

  private void answer(Reply<List<Outcome>> reply, List<Outcome> outcomes, long start) {
    reply.done(outcomes, null);
    listener.submitEnd(name, outcomes, System.nanoTime() - start);
  }

  @Override
  public void whenCommitted(Reply<Void> reply) {
    onLane(reply, () -> commits.afterCommits(reply, () -> reply.done(null, null)));
  }

  @Override
  public void catchUp(Position since, Reply<CatchUp> reply) {
    onLane(reply, () -> {
      CatchUp c = room.catchUp(since);
      commits.afterCommits(reply, () -> reply.done(c, null));
    });
  }

  @Override
  public void snapshot(Reply<CatchUp.Snapshot> reply) {
    onLane(follower.orRead(reply), () -> {
      CatchUp.Snapshot s = room.snapshot();
      commits.afterCommits(reply, () -> reply.done(s, null));
    });
  }

  @Override
  public void claimLeader(String clientId, String identity, Reply<Leadership> reply) {
    onLane(reply, () -> {
      String before = room.leader();
      Leadership l = room.claimLeader(clientId, identity);
      leader = room.leader();
      Reply<Boolean> overtaken = null;
      if (l instanceof Leadership.Granted && before != null && !clientId.equals(before)) {
        overtaken = lease;
        lease = null;
      }
      Reply<Boolean> leaseOver = overtaken;
      commits.afterCommits(reply, () -> {
        if (l instanceof Leadership.Granted && !clientId.equals(before)) {
          fanout.deliver(new RoomEvent.LeaderChanged(name, clientId, before));
        }
        reply.done(l, null);
        if (leaseOver != null) {
          leaseOver.done(false, null);
        }
      });
    });
  }

  @Override
  public void releaseLeader(String clientId, Reply<Boolean> reply) {
    onLane(reply, () -> {
      boolean released = room.releaseLeader(clientId);
      leader = room.leader();
      commits.afterCommits(reply, () -> {
        if (released) {
          fanout.deliver(new RoomEvent.LeaderChanged(name, null, clientId));
        }
        reply.done(released, null);
      });
    });
  }

  @Override
  public void leaderLeft(String clientId, Duration grace, Reply<Boolean> lostRoom) {
    onLane(lostRoom, () -> {
      boolean lost = room.leaderLeft(clientId, clock.millis(), grace.toMillis());
      leader = room.leader();
      if (clientId.equals(room.leader())) {
        // it still leads, on its lease: the reply waits for the lease to end one way or another
        lease = lostRoom;
        return;
      }
      commits.afterCommits(lostRoom, () -> {
        if (lost) {
          fanout.deliver(new RoomEvent.LeaderChanged(name, null, clientId));
        }
        lostRoom.done(lost, null);
      });
    });
  }

  @Override
  public void setPresence(String clientId, Json data) {
    lane.execute(() -> {
      if (presence.put(clientId, data, clock.millis())) {
        commits.afterCommits(null,
            () -> fanout.deliver(new RoomEvent.PresenceChanged(name, clientId, data)));
      }
    });
  }

  @Override
  public void touchPresence(String clientId) {
    lane.execute(() -> presence.touch(clientId, clock.millis()));
  }

  @Override
  public void removePresence(String clientId) {
    lane.execute(() -> {
      if (presence.remove(clientId)) {
        commits.afterCommits(null,
            () -> fanout.deliver(new RoomEvent.PresenceChanged(name, clientId, null)));
      }
    });
  }

  @Override
  public void presence(Reply<Map<String, Json>> reply) {
    onLane(reply, () -> reply.done(presence.all(), null));
  }

  @Override
  public void publish(long time, Json body, Reply<StreamMessage> reply) {
    onLane(reply, () -> {
      StreamMessage m = stream.append(time, body, clock.millis());
      CommitQueue.Pending p = commits.behindWrite(() -> {
        try {
          reply.done(m, null);
        } finally {
          fanout.deliver(new RoomEvent.Published(name, m));
        }
      }, reply);
      store.publish(name, m, commits.committed(p));
    });
  }

  @Override
  public void readStream(long from, long to, Reply<List<StreamMessage>> reply) {
    onLane(reply, () -> {
      List<StreamMessage> found = stream.range(from, to, clock.millis());
      commits.afterCommits(reply, () -> reply.done(found, null));
    });
  }

  @Override
  public void putAttribute(String key, Json value, Reply<Void> reply) {
    onLane(reply, () -> {
      if (value == null) {
        attributes.remove(key);
      } else {
        attributes.put(key, value);
      }
      CommitQueue.Pending p = commits.behindWrite(() -> reply.done(null, null), reply);
      store.putAttribute(name, key, value, commits.committed(p));
    });
  }

  @Override
  public void seal(Reply<Void> reply) {
    onLane(reply, () -> {
      room.seal();
      attributes.put(SEALED, Json.NULL);
      CommitQueue.Pending p = commits.behindWrite(() -> {
        fanout.deliver(new RoomEvent.Sealed(name));
        reply.done(null, null);
      }, reply);
      store.putAttribute(name, SEALED, Json.NULL, commits.committed(p));
    });
  }

  /** Periodic upkeep: expiry, trimming, and a new read of a room followed from another node. */
  void tick() {
    lane.execute(() -> {
      follower.poll();
      if (!availability.working()) {
        return; // its memory may not be what the store holds: trimming by it could lose ops
      }
      long now = clock.millis();
      for (String left : presence.expire(now)) {
        commits.afterCommits(null,
            () -> fanout.deliver(new RoomEvent.PresenceChanged(name, left, null)));
      }
      stream.expire(now);
      String leaseRanOut = room.expireLease(now);
      if (leaseRanOut != null) {
        leader = room.leader();
        Reply<Boolean> told = lease;
        lease = null;
        commits.afterCommits(null, () -> {
          fanout.deliver(new RoomEvent.LeaderChanged(name, null, leaseRanOut));
          if (told != null) {
            told.done(true, null);
          }
        });
      }
      long through = room.trim(now);
      if (through > trimmedThrough) {
        trimmedThrough = through;
        store.trim(name, through);
      }
    });
  }

  /**
   * Drops every subscriber (telling each the room was deleted) and removes the room from its
   * store. Adapters may still hold this object: whatever is asked of it afterwards fails and
   * writes nothing, so a stale reference can neither leave rows of a deleted room behind nor
   * write into a new room of the same name.
   */
  void delete(Reply<Void> reply) {
    lane.execute(() -> {
      availability.deleted();
      fanout.closeAll(RoomClosed.DELETED);
      store.delete(name, f -> reply.done(null, f));
    });
  }

  /**
   * Records the new room in its store. Called once, before anything else is asked of the room:
   * every request waits for this write like for any other, and fails if it fails.
   */
  void create() {
    lane.execute(() -> {
      if (!availability.createWhenClaimed(this::record)) {
        record();
      }
    });
  }

  /** The creation's write (lane only); in a cluster, once the room is claimed. */
  private void record() {
    Store.Commit committed = commits.committed(commits.behindWrite(() -> { }, null));
    store.create(name, config, room.epoch(), failure -> {
      if (failure != null) {
        // ahead of the commit queue's own news of it, so those waiting hear the room is gone
        lane.execute(() -> availability.notCreated(failure));
      }
      committed.done(failure);
    });
  }

  /** Runs a task on the lane; the lane's queue being full or shut is the only failure. */
  void run(Runnable task) {
    lane.execute(task);
  }

  private void onLane(Reply<?> reply, Runnable task) {
    lane.execute(() -> availability.serve(reply, task));
  }

  /**
   * A write was not committed: the room's memory is now ahead of its store, so it must not
   * answer anyone from it again. Subscribers are dropped and every request still waiting is
   * answered with the failure; later requests fail until the store works and the room is
   * reloaded from it.
   */
  private void fail(Throwable cause) {
    IllegalStateException failure = availability.failed(cause);
    fanout.closeAll(RoomClosed.STORE_FAILED);
    commits.failAll(failure);
  }
}
