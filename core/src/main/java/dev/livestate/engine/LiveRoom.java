package dev.livestate.engine;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.op.Proposal;
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
  private final Leaders leaders;
  private final Availability availability;
  /** Relays the room to subscribers here while another node owns it. */
  private final Follower follower;
  /** Told of each committed batch, when other nodes may follow the room. */
  private final Peers peers;
  private final Deletion deletion;
  private final Attributes attributes = new Attributes();
  /** Who is present, and which clients came through another node. */
  private final Attendance attendance;
  /** Events told to other nodes by this holding of the room. */
  private long told;
  // The room's memory (lane only): replaced whole when the room is reloaded from its store.
  private Room room;
  private Stream stream;
  private long trimmedThrough;
  private volatile Position head;

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
    this.leaders = new Leaders(name, commits, this::tell);
    this.availability = new Availability(name, store, lane, clock, this::restore,
        () -> forget.accept(this), ownership, () -> fanout.closeAll(RoomClosed.MOVED));
    this.attendance = new Attendance(name, config.presenceTimeout().toMillis(), this::announce);
    this.stream = new Stream(config.streamTtl().toMillis(), config.streamLimit());
    this.head = room.head();
    this.peers = ownership.governs(store) ? peers : Peers.NONE;
    this.deletion = new Deletion(name, lane, store, fanout, availability, this.peers, ownership,
        () -> forget.accept(this));
    this.follower = new Follower(name, config, store, lane, clock, fanout, this.peers,
        attributes, read -> head = read, deletion::elsewhere);
  }

  /** Takes the room's memory from what its store holds, as a start would. */
  void restore(StoredRoom s) {
    // relayed up to where this node read, not where it now decides: they join again
    fanout.closeAll(RoomClosed.MOVED);
    follower.stop();
    boolean sealed = s.attributes().containsKey(SEALED);
    // this room's config, which may bound its history more tightly than the stored one
    room = Room.recover(s.name(), config, s.epoch(), s.head(), s.entries(), s.recentOps(),
        s.ledger(), sealed);
    attributes.reload(s.attributes());
    attendance.reset();
    told = 0;
    stream = new Stream(config.streamTtl().toMillis(), config.streamLimit());
    s.stream().forEach(stream::restore);
    trimmedThrough = s.recentOps().isEmpty() ? s.head() : s.recentOps().get(0).seq() - 1;
    head = room.head();
    leaders.reset();
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
    String here = leaders.leader();
    return here != null ? here : follower.leader();
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
    return attributes.startingWith(prefix);
  }

  @Override
  public boolean sealed() {
    return attributes.has(SEALED);
  }

  // ---- requests ----

  @Override
  public void join(Subscriber subscriber, Position since, Reply<Joined> reply) {
    Reply<Joined> orFollow = (joined, failure) -> {
      if (failure instanceof Ownership.NotOwner n) {
        lane.execute(() -> follower.join(n.owner(), subscriber, since, reply));
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
        reply.done(new Joined(catchUp, room.leader(), attendance.all(), room.sealed()), null);
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
      if (!fanout.hasClient(clientId)) {
        attendance.remove(clientId);
      }
    }));
  }

  @Override
  public void submit(Writer writer, Origin origin, List<Proposal> proposals, long seenThrough,
      Reply<List<Outcome>> reply) {
    Reply<List<Outcome>> orForward = follower.orForward(
        new RoomRequest.Submit(writer, proposals, seenThrough), origin,
        !(origin instanceof Origin.Peer) && Attendance.forwardable(reply), reply);
    lane.execute(() -> availability.serve(orForward, () -> {
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
    }));
  }

  private void answer(Reply<List<Outcome>> reply, List<Outcome> outcomes, long start) {
    reply.done(outcomes, null);
    listener.submitEnd(name, outcomes, System.nanoTime() - start);
  }

  @Override
  public void whenCommitted(Reply<Void> reply) {
    onLane(new RoomRequest.WhenCommitted(), reply,
        () -> commits.afterCommits(reply, () -> reply.done(null, null)));
  }

  /** Replies once the attributes here are as new as the store's (decision 026). */
  void refreshed(Reply<Void> reply) {
    onLane(follower.orRefresh(reply), () -> reply.done(null, null));
  }

  @Override
  public void catchUp(Position since, Reply<CatchUp> reply) {
    onLane(follower.orRead(r -> r.catchUp(since), reply), () -> {
      CatchUp c = room.catchUp(since);
      commits.afterCommits(reply, () -> reply.done(c, null));
    });
  }

  @Override
  public void snapshot(Reply<CatchUp.Snapshot> reply) {
    onLane(follower.orRead(Room::snapshot, reply), () -> {
      CatchUp.Snapshot s = room.snapshot();
      commits.afterCommits(reply, () -> reply.done(s, null));
    });
  }

  @Override
  public void claimLeader(String clientId, String identity, Reply<Leadership> reply) {
    onLane(new RoomRequest.ClaimLeader(clientId, identity), reply, () -> {
      attendance.note(clientId, reply);
      leaders.claim(room, clientId, identity, reply);
    });
  }

  @Override
  public void releaseLeader(String clientId, Reply<Boolean> reply) {
    onLane(new RoomRequest.ReleaseLeader(clientId), reply,
        () -> leaders.release(room, clientId, reply));
  }

  @Override
  public void leaderLeft(String clientId, Duration grace, Reply<Boolean> lostRoom) {
    onLane(new RoomRequest.LeaderLeft(clientId, grace), lostRoom,
        () -> leaders.left(room, clientId, clock.millis(), grace.toMillis(), lostRoom));
  }

  @Override
  public void setPresence(String clientId, Json data) {
    setPresence(clientId, data, Reply.ignore());
  }

  void setPresence(String clientId, Json data, Reply<Void> reply) {
    onLane(new RoomRequest.SetPresence(clientId, data), reply, () -> {
      attendance.set(clientId, data, clock.millis(), reply);
      reply.done(null, null);
    });
  }

  @Override
  public void touchPresence(String clientId) {
    touchPresence(clientId, Reply.ignore());
  }

  void touchPresence(String clientId, Reply<Void> reply) {
    onLane(new RoomRequest.TouchPresence(clientId), reply, () -> {
      attendance.touch(clientId, clock.millis());
      reply.done(null, null);
    });
  }

  @Override
  public void removePresence(String clientId) {
    removePresence(clientId, Reply.ignore());
  }

  void removePresence(String clientId, Reply<Void> reply) {
    onLane(new RoomRequest.RemovePresence(clientId), reply, () -> {
      attendance.remove(clientId);
      reply.done(null, null);
    });
  }

  @Override
  public void presence(Reply<Map<String, Json>> reply) {
    onLane(new RoomRequest.Presence(), reply, () -> reply.done(attendance.all(), null));
  }

  /** Who leads and who is present, for another node's mirror (decision 024). */
  void company(Reply<Peers.Company> reply) {
    // once the events before it were told: its number then counts every change it shows
    onLane(new RoomRequest.Company(), reply, () -> commits.afterCommits(reply, () -> reply.done(
        new Peers.Company(availability.generation(), told, room.head().seq(), room.leader(),
            attendance.all()), null)));
  }

  /**
   * Node {@code node} left the live nodes: the presence and leadership of the clients that came
   * through it go, as if their connections closed with no grace (decision 024).
   */
  void nodeLeft(String node) {
    lane.execute(() -> {
      follower.nodeLeft(node);
      if (!availability.working()) {
        return;
      }
      attendance.nodeLeft(node).forEach(clientId -> leaders.drop(room, clientId));
    });
  }

  @Override
  public void publish(long time, Json body, Reply<StreamMessage> reply) {
    onLane(new RoomRequest.Publish(time, body), reply, () -> {
      long at = room.head().seq();
      StreamMessage m = stream.append(time, body, clock.millis());
      CommitQueue.Pending p = commits.behindWrite(() -> {
        try {
          reply.done(m, null);
        } finally {
          tell(new RoomEvent.Published(name, m), at);
        }
      }, reply);
      store.publish(name, m, commits.committed(p));
    });
  }

  @Override
  public void readStream(long from, long to, Reply<List<StreamMessage>> reply) {
    onLane(new RoomRequest.ReadStream(from, to), reply, () -> {
      List<StreamMessage> found = stream.range(from, to, clock.millis());
      commits.afterCommits(reply, () -> reply.done(found, null));
    });
  }

  @Override
  public void putAttribute(String key, Json value, Reply<Void> reply) {
    onLane(follower.orForward(new RoomRequest.PutAttribute(key, value),
        Attendance.forwardable(reply), attributes.forwarded(key, value, reply), reply), () -> {
      attributes.put(key, value);
      CommitQueue.Pending p = commits.behindWrite(() -> reply.done(null, null), reply);
      store.putAttribute(name, key, value, commits.committed(p));
    });
  }

  @Override
  public void seal(Reply<Void> reply) {
    onLane(new RoomRequest.Seal(), reply, () -> {
      long at = room.head().seq();
      room.seal();
      attributes.put(SEALED, Json.NULL);
      CommitQueue.Pending p = commits.behindWrite(() -> {
        tell(new RoomEvent.Sealed(name), at);
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
      attendance.expire(now);
      stream.expire(now);
      leaders.expire(room, now);
      long through = room.trim(now);
      if (through > trimmedThrough) {
        trimmedThrough = through;
        store.trim(name, through);
      }
    });
  }

  /** Whether this node decides the room now; any thread. */
  boolean decidedHere() {
    return availability.decidedHere();
  }

  /**
   * Drops every subscriber (telling each the room was deleted) and removes the room from its
   * store; in a cluster its owner does (decision 028). Adapters may still hold this object:
   * whatever is asked of it afterwards fails and writes nothing, so a stale reference can
   * neither leave rows of a deleted room behind nor write into a new room of the same name.
   */
  void delete(Reply<Void> reply) {
    if (deletion.alone()) {
      deletion.alone(reply);
      return;
    }
    onLane(follower.orForward(new RoomRequest.Delete(), Attendance.forwardable(reply), (v, f) -> {
      if (f == null) {
        deletion.elsewhere(); // this node's following ends with the owner's news of it
      }
      reply.done(v, f);
    }, reply), () -> deletion.asOwner(new Peers.Told(null, availability.generation(), told,
        room.head().seq(), new RoomEvent.Deleted(name, room.epoch())), reply));
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

  /** Runs a request on the lane, or where another node owns the room, hands it to that node. */
  private <A> void onLane(RoomRequest<A> request, Reply<A> reply, Runnable task) {
    onLane(follower.orForward(request, Attendance.forwardable(reply), reply), task);
  }

  /** Tells of {@code e} once what the room decided before it committed (lane only). */
  private void announce(RoomEvent e) {
    long at = room.head().seq();
    commits.afterCommits(null, () -> tell(e, at));
  }

  /**
   * Hands {@code e} to the subscribers here and tells the other nodes of it, with the seq {@code
   * at} that was committed when it happened (a commit-queue step, lane only).
   */
  private void tell(RoomEvent e, long at) {
    fanout.deliver(e);
    if (peers != Peers.NONE) {
      peers.told(name, new Peers.Told(null, availability.generation(), ++told, at, e));
    }
  }

  /**
   * A write was not committed: the room's memory is now ahead of its store, so it must not
   * answer anyone from it again. Subscribers are dropped, every request still waiting fails,
   * and so do later ones until the store works and the room is reloaded from it.
   */
  private void fail(Throwable cause) {
    IllegalStateException failure = availability.failed(cause);
    fanout.closeAll(RoomClosed.STORE_FAILED);
    commits.failAll(failure);
  }
}
