package dev.livestate.engine;

import dev.livestate.op.Json;
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
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A room decided on this node: its decisions on one lane, its writes to a store, and its
 * {@link Fanout} to the subscribers here. Every public method is thread-safe and returns at
 * once; the work runs on the room's lane.
 *
 * <p>Nothing leaves the room before it is committed: a decision applies at once (so the next
 * decision sees it), but its acks, relays and any reply that could reveal it wait in a FIFO
 * queue until the store confirms the write. Replies and events therefore reach clients in the
 * order the room decided them, and a client never sees an op that a crash could take back.
 */
public final class LiveRoom implements RoomHandle {
  private static final System.Logger LOG = System.getLogger(LiveRoom.class.getName());

  /**
   * Something waiting for its write (if any) and every earlier one to commit; {@code reply} (if
   * any) is told of a failure when the room fails before the action runs.
   */
  private static final class Pending {
    final Runnable action;
    final Reply<?> reply;
    boolean committed;
    Throwable failure;

    Pending(Runnable action, Reply<?> reply, boolean committed) {
      this.action = action;
      this.reply = reply;
      this.committed = committed;
    }
  }

  private final Room room;
  private final Store store;
  private final Executor lane;
  private final Clock clock;
  private final Presence presence;
  private final Stream stream;
  private final EngineListener listener;
  private final Fanout fanout;
  private final Map<String, Json> attributes = new ConcurrentHashMap<>();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  /** Told how the lease of a leader whose connection is gone ends (lane only). */
  private Reply<Boolean> lease;
  private long trimmedThrough;
  private boolean failed;
  private boolean deleted;
  private volatile Position head;
  private volatile String leader;

  LiveRoom(Room room, Store store, Executor lane, Clock clock, EngineListener listener) {
    this.room = room;
    this.store = store;
    this.lane = lane;
    this.clock = clock;
    this.listener = listener;
    this.fanout = new Fanout(room.name(), listener);
    RoomConfig config = room.config();
    this.presence = new Presence(config.presenceTimeout().toMillis());
    this.stream = new Stream(config.streamTtl().toMillis(), config.streamLimit());
    this.head = room.head();
  }

  static LiveRoom recovered(StoredRoom s, Store store, Executor lane, Clock clock,
      EngineListener listener) {
    boolean sealed = s.attributes().containsKey(SEALED);
    Room room = Room.recover(s.name(), s.config(), s.epoch(), s.head(), s.entries(),
        s.recentOps(), sealed);
    LiveRoom live = new LiveRoom(room, store, lane, clock, listener);
    live.attributes.putAll(s.attributes());
    s.stream().forEach(live.stream::restore);
    live.trimmedThrough = s.recentOps().isEmpty() ? s.head() : s.recentOps().get(0).seq() - 1;
    return live;
  }

  static final String SEALED = "sealed";

  // ---- what can be read from any thread (a moment's view) ----

  @Override
  public String name() {
    return room.name();
  }

  @Override
  public RoomConfig config() {
    return room.config();
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
    Map<String, Json> found = new java.util.HashMap<>();
    attributes.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        found.put(k, v);
      }
    });
    return found;
  }

  @Override
  public boolean sealed() {
    return attributes.containsKey(SEALED);
  }

  // ---- requests ----

  @Override
  public void join(Subscriber subscriber, Position since, Reply<Joined> reply) {
    onLane(reply, () -> {
      CatchUp catchUp = room.catchUp(since);
      afterCommits(reply, () -> {
        if (deleted) {
          reply.done(null, gone());
          return;
        }
        fanout.add(subscriber);
        reply.done(new Joined(catchUp, room.leader(), presence.all(), room.sealed()), null);
      });
    });
  }

  @Override
  public void leave(Subscriber subscriber) {
    lane.execute(() -> afterCommits(() -> {
      if (!fanout.remove(subscriber)) {
        return;
      }
      String clientId = subscriber.clientId();
      if (!fanout.hasClient(clientId) && presence.remove(clientId)) {
        fanout.deliver(new RoomEvent.PresenceChanged(room.name(), clientId, null));
      }
    }));
  }

  @Override
  public void submit(Writer writer, Origin origin, List<Proposal> proposals,
      Reply<List<Outcome>> reply) {
    onLane(reply, () -> {
      listener.submitStart(room.name(), proposals.size());
      long start = System.nanoTime();
      Room.Decision d = room.decide(writer, proposals, clock.millis());
      head = room.head();
      if (d.accepted().isEmpty()) {
        afterCommits(reply, () -> answer(reply, d.outcomes(), start));
        return;
      }
      RoomEvent.Relayed relayed =
          new RoomEvent.Relayed(room.name(), writer.clientId(), origin, d.accepted());
      Pending p = enqueue(() -> {
        try {
          answer(reply, d.outcomes(), start);
        } finally {
          fanout.deliver(relayed);
        }
      }, reply, false);
      store.append(room.name(), d.accepted(), committed(p));
    });
  }

  private void answer(Reply<List<Outcome>> reply, List<Outcome> outcomes, long start) {
    reply.done(outcomes, null);
    listener.submitEnd(room.name(), outcomes, System.nanoTime() - start);
  }

  @Override
  public void catchUp(Position since, Reply<CatchUp> reply) {
    onLane(reply, () -> {
      CatchUp c = room.catchUp(since);
      afterCommits(reply, () -> reply.done(c, null));
    });
  }

  @Override
  public void snapshot(Reply<CatchUp.Snapshot> reply) {
    onLane(reply, () -> {
      CatchUp.Snapshot s = room.snapshot();
      afterCommits(reply, () -> reply.done(s, null));
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
      afterCommits(reply, () -> {
        if (l instanceof Leadership.Granted && !clientId.equals(before)) {
          fanout.deliver(new RoomEvent.LeaderChanged(room.name(), clientId, before));
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
      afterCommits(reply, () -> {
        if (released) {
          fanout.deliver(new RoomEvent.LeaderChanged(room.name(), null, clientId));
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
      afterCommits(lostRoom, () -> {
        if (lost) {
          fanout.deliver(new RoomEvent.LeaderChanged(room.name(), null, clientId));
        }
        lostRoom.done(lost, null);
      });
    });
  }

  @Override
  public void setPresence(String clientId, Json data) {
    lane.execute(() -> {
      if (presence.put(clientId, data, clock.millis())) {
        afterCommits(() -> fanout.deliver(new RoomEvent.PresenceChanged(room.name(), clientId, data)));
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
        afterCommits(() -> fanout.deliver(new RoomEvent.PresenceChanged(room.name(), clientId, null)));
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
      Pending p = enqueue(() -> {
        try {
          reply.done(m, null);
        } finally {
          fanout.deliver(new RoomEvent.Published(room.name(), m));
        }
      }, reply, false);
      store.publish(room.name(), m, committed(p));
    });
  }

  @Override
  public void readStream(long from, long to, Reply<List<StreamMessage>> reply) {
    onLane(reply, () -> {
      List<StreamMessage> found = stream.range(from, to, clock.millis());
      afterCommits(reply, () -> reply.done(found, null));
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
      Pending p = enqueue(() -> reply.done(null, null), reply, false);
      store.putAttribute(room.name(), key, value, committed(p));
    });
  }

  @Override
  public void seal(Reply<Void> reply) {
    onLane(reply, () -> {
      room.seal();
      attributes.put(SEALED, Json.NULL);
      Pending p = enqueue(() -> {
        fanout.deliver(new RoomEvent.Sealed(room.name()));
        reply.done(null, null);
      }, reply, false);
      store.putAttribute(room.name(), SEALED, Json.NULL, committed(p));
    });
  }

  /** Periodic upkeep: expires presence and stream messages, trims history. */
  void tick() {
    lane.execute(() -> {
      long now = clock.millis();
      for (String gone : presence.expire(now)) {
        afterCommits(() -> fanout.deliver(new RoomEvent.PresenceChanged(room.name(), gone, null)));
      }
      stream.expire(now);
      String leaseRanOut = room.expireLease(now);
      if (leaseRanOut != null) {
        leader = room.leader();
        Reply<Boolean> told = lease;
        lease = null;
        afterCommits(() -> {
          fanout.deliver(new RoomEvent.LeaderChanged(room.name(), null, leaseRanOut));
          if (told != null) {
            told.done(true, null);
          }
        });
      }
      long through = room.trim(now);
      if (through > trimmedThrough) {
        trimmedThrough = through;
        store.trim(room.name(), through);
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
      deleted = true;
      fanout.closeAll(RoomClosed.DELETED);
      store.delete(room.name(), f -> reply.done(null, f));
    });
  }

  /** Runs a task on the lane; the lane's queue being full or shut is the only failure. */
  void run(Runnable task) {
    lane.execute(task);
  }

  // ---- the commit queue ----

  private void onLane(Reply<?> reply, Runnable task) {
    lane.execute(() -> {
      if (failed) {
        reply.done(null, new IllegalStateException("room " + room.name() + " failed"));
        return;
      }
      if (deleted) {
        reply.done(null, gone());
        return;
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        reply.done(null, e);
      }
    });
  }

  private IllegalStateException gone() {
    return new IllegalStateException("room " + room.name() + " was deleted");
  }

  private Pending enqueue(Runnable action, Reply<?> reply, boolean committed) {
    Pending p = new Pending(action, reply, committed);
    pending.addLast(p);
    return p;
  }

  /** Runs {@code action} once every write before it has committed. */
  private void afterCommits(Runnable action) {
    afterCommits(null, action);
  }

  /** Like {@link #afterCommits(Runnable)}; {@code reply} is told if the room fails first. */
  private void afterCommits(Reply<?> reply, Runnable action) {
    enqueue(action, reply, true);
    drain();
  }

  /** The store's callback for a write: its commit lets {@code p} and what waits behind it run. */
  private Store.Commit committed(Pending p) {
    listener.commitStart(room.name());
    long start = System.nanoTime();
    return failure -> {
      listener.commitEnd(room.name(), System.nanoTime() - start, failure);
      lane.execute(() -> {
        p.committed = true;
        p.failure = failure;
        drain();
      });
    };
  }

  private void drain() {
    while (!pending.isEmpty() && pending.peekFirst().committed) {
      Pending p = pending.peekFirst();
      if (p.failure != null) {
        fail(p.failure);
        return;
      }
      pending.pollFirst();
      try {
        p.action.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a reply in room " + room.name() + " failed", e);
      }
    }
  }

  /**
   * A write was not committed: the room's memory is now ahead of its store, so it must not
   * answer anyone again. Subscribers are dropped, every request still waiting is answered with
   * the failure, and later requests fail; the room is recovered from the store at the next start.
   */
  private void fail(Throwable cause) {
    LOG.log(System.Logger.Level.ERROR, "store write failed for room " + room.name()
        + "; the room stopped, restart the server to recover it", cause);
    failed = true;
    List<Pending> unanswered = List.copyOf(pending);
    pending.clear();
    fanout.closeAll(RoomClosed.STORE_FAILED);
    IllegalStateException failure =
        new IllegalStateException("room " + room.name() + " failed: a store write failed", cause);
    for (Pending p : unanswered) {
      if (p.reply != null) {
        p.reply.done(null, failure);
      }
    }
  }
}
