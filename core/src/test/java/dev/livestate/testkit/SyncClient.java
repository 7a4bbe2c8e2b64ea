package dev.livestate.testkit;

import dev.livestate.engine.RoomClosed;
import dev.livestate.engine.Origin;
import dev.livestate.engine.Broadcast;
import dev.livestate.engine.Joined;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.RoomEvent;
import dev.livestate.engine.Subscriber;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.op.Proposal;
import dev.livestate.room.Position;
import dev.livestate.room.Role;
import dev.livestate.room.Writer;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model of a client that follows the sync contract (DESIGN §2), driven by a test step by step:
 * it keeps a canonical state (what the room confirmed, up to {@link #seen()}), a log of pending
 * changes it made on top, and checks that what the room sends it has no gap and no duplicate.
 * Each {@link #write} is one proposal of one key, so a conflict on one key rejects only that
 * change. Not thread-safe: for direct lanes.
 */
public final class SyncClient {
  private final Writer writer;
  private final Map<String, Json> canonical = new HashMap<>();
  private final List<Proposal> pending = new ArrayList<>();
  private final List<Proposal> unsent = new ArrayList<>();
  private final TreeMap<Long, Change> ackedUnseen = new TreeMap<>();
  private final Map<Long, Long> acks = new LinkedHashMap<>();
  private final List<Outcome.Rejected> rejections = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private Position seen;
  private long lastLocalSeq;
  private RoomHandle room;
  private Subscription subscription;
  private CatchUp.Resubmit resubmit;

  public SyncClient(String clientId, Role role, int priority) {
    this.writer = new Writer(clientId, role, priority);
  }

  public String id() {
    return writer.clientId();
  }

  public Writer writer() {
    return writer;
  }

  /** The last position this client has applied everything up to (null: never synced). */
  public Position seen() {
    return seen;
  }

  /** The state as the room confirmed it, at {@link #seen()}. */
  public Map<String, Json> canonical() {
    return Map.copyOf(canonical);
  }

  /** What the client shows: the canonical state with its pending changes applied on top. */
  public Map<String, Json> view() {
    Map<String, Json> view = new HashMap<>(canonical);
    pending.forEach(p -> apply(view, p.change()));
    return view;
  }

  /** Pending changes: made locally, not yet answered by the room. */
  public List<Proposal> pending() {
    return List.copyOf(pending);
  }

  /** Each acked change: localSeq → seq. */
  public Map<Long, Long> acks() {
    return Map.copyOf(acks);
  }

  public List<Outcome.Rejected> rejections() {
    return List.copyOf(rejections);
  }

  /** Gaps, duplicates and failures seen so far; empty for a correct room. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** The room's answer when this client's position was one it never issued, else null. */
  public CatchUp.Resubmit resubmitAsked() {
    return resubmit;
  }

  public boolean online() {
    return subscription != null;
  }

  /** Makes a change locally, made after seeing {@link #seen()}; {@link #send} submits it. */
  public Proposal write(String key, String jsonValue) {
    Proposal p = new Proposal(++lastLocalSeq, seen == null ? 0 : seen.seq(),
        Changes.put(key, jsonValue));
    pending.add(p);
    unsent.add(p);
    return p;
  }

  /** Submits every change not sent yet, as one batch, to the room last connected to. */
  public void send() {
    send(room);
  }

  /** Submits every change not sent yet, as one batch, to {@code to}. */
  public void send(RoomHandle to) {
    if (unsent.isEmpty()) {
      return;
    }
    List<Proposal> batch = List.copyOf(unsent);
    unsent.clear();
    to.submit(writer, Connections.of(writer), batch, (outcomes, failure) -> {
      if (failure != null) {
        problems.add(id() + ": submit failed: " + failure);
        return;
      }
      outcomes.forEach(this::answered);
    });
  }

  /** Subscribes to {@code room}, catching up from {@link #seen()}. */
  public void connect(RoomHandle to) {
    this.room = to;
    Subscription s = new Subscription();
    subscription = s;
    to.join(s, seen, (joined, failure) -> {
      if (failure != null) {
        problems.add(id() + ": join failed: " + failure);
      } else {
        caughtUp(joined);
      }
    });
  }

  /** Unsubscribes: from now on the client hears nothing (it went offline). */
  public void disconnect() {
    if (subscription != null) {
      room.leave(subscription);
      subscription = null;
    }
  }

  /**
   * Answers the room's request to re-submit (it lost its state): drops the old position, makes
   * everything it holds a pending change (one per key, made having seen nothing of the new
   * history), reconnects from the start of the new epoch, and sends.
   */
  public void resubmitHoldings() {
    if (resubmit == null) {
      throw new IllegalStateException(id() + " was not asked to re-submit");
    }
    Map<String, Json> holdings = view();
    RoomHandle to = room;
    disconnect();
    canonical.clear();
    pending.clear();
    unsent.clear();
    ackedUnseen.clear();
    seen = new Position(resubmit.head().epoch(), 0);
    resubmit = null;
    new TreeMap<>(holdings).forEach((k, v) -> write(k, v.text()));
    connect(to);
    send(to);
  }

  private void caughtUp(Joined joined) {
    CatchUp c = joined.catchUp();
    if (c instanceof CatchUp.Tail t) {
      t.ops().forEach(this::receive);
    } else if (c instanceof CatchUp.Snapshot s) {
      canonical.clear();
      canonical.putAll(s.values());
      seen = s.head();
      ackedUnseen.headMap(s.head().seq(), true).clear();
      catchUpOwn();
    } else {
      resubmit = (CatchUp.Resubmit) c;
    }
  }

  private void answered(Outcome outcome) {
    Proposal p = pending.stream().filter(q -> q.localSeq() == outcome.localSeq()).findFirst()
        .orElse(null);
    if (p == null) {
      problems.add(id() + ": answer for unknown localSeq " + outcome.localSeq());
      return;
    }
    pending.remove(p);
    if (outcome instanceof Outcome.Accepted a) {
      acks.put(a.localSeq(), a.seq());
      if (seen == null || a.seq() > seen.seq()) {
        ackedUnseen.put(a.seq(), p.change());
        catchUpOwn();
      }
    } else {
      rejections.add((Outcome.Rejected) outcome);
    }
  }

  /** Applies one op from the room, which must be the next one after {@link #seen()}. */
  private void receive(Op op) {
    ackedUnseen.remove(op.seq()); // the room's copy of an own op stands for its ack
    catchUpOwn();
    long next = seen == null ? 1 : seen.seq() + 1;
    if (op.seq() < next) {
      problems.add(id() + ": duplicate op " + op.seq() + " (seen " + (next - 1) + ")");
      return;
    }
    if (op.seq() > next) {
      problems.add(id() + ": gap before op " + op.seq() + " (seen " + (next - 1) + ")");
    }
    applyCanonical(op.seq(), op.change());
  }

  /** Own acked ops are not relayed back: they count as received once every earlier op is. */
  private void catchUpOwn() {
    while (seen != null && ackedUnseen.containsKey(seen.seq() + 1)) {
      long seq = seen.seq() + 1;
      applyCanonical(seq, ackedUnseen.remove(seq));
    }
  }

  private void applyCanonical(long seq, Change change) {
    apply(canonical, change);
    seen = new Position(seen != null ? seen.epoch() : room.head().epoch(), seq);
  }

  private static void apply(Map<String, Json> state, Change change) {
    if (change instanceof Change.Reset) {
      state.clear();
    }
    change.values().forEach((k, v) -> {
      if (v == null) {
        state.remove(k);
      } else {
        state.put(k, v);
      }
    });
  }

  /** The client's connection as the room sees it. */
  private final class Subscription implements Subscriber {
    @Override
    public Origin.Client connection() {
      return Connections.of(writer.clientId());
    }

    @Override
    public void deliver(Broadcast broadcast) {
      if (subscription != this) {
        problems.add(id() + ": event after leaving: " + broadcast.event());
        return;
      }
      if (broadcast.event() instanceof RoomEvent.Relayed r) {
        if (resubmit != null) {
          return; // it has no base in this history until it re-submits and catches up
        }
        if (r.writer().equals(id())) {
          problems.add(id() + ": own op relayed back");
        }
        r.ops().forEach(SyncClient.this::receive);
      }
    }

    @Override
    public void closed(String room, RoomClosed reason) {
      problems.add(id() + ": closed: " + reason);
    }
  }

  @Override
  public String toString() {
    return "SyncClient[" + id() + " at " + seen + ", " + pending.size() + " pending]";
  }
}
