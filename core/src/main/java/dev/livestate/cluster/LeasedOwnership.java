package dev.livestate.cluster;

import dev.livestate.engine.Ownership;
import dev.livestate.engine.Reply;
import dev.livestate.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ownership by {@link Leases}: a room is this node's while it holds the room's lease. {@link
 * #renew} (every third of the lease, say) extends every lease held; a lease that could not be
 * renewed (another node holds it now, or the bus was unreachable for as long as the lease lasts)
 * is lost, and its room is told. The generation a claim replies with fences the shared store.
 */
public final class LeasedOwnership implements Ownership {
  private final Leases leases;
  private final Store shared;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final AtomicLong takings = new AtomicLong();
  private final AtomicLong losses = new AtomicLong();

  private record Held(Leases.Lease lease, Runnable lost, long since) {}

  /** @param shared the store the nodes share: its rooms are owned by one node at a time */
  public LeasedOwnership(Leases leases, Store shared, Duration ttl, Clock clock) {
    this.leases = Objects.requireNonNull(leases, "leases");
    this.shared = Objects.requireNonNull(shared, "shared");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public boolean governs(Store store) {
    return store == shared;
  }

  @Override
  public void claim(String room, Runnable lost, Reply<Long> generation) {
    long asked = clock.millis();
    leases.acquire(room, ttl, (holder, failure) -> {
      if (failure != null) {
        generation.done(null, failure);
      } else if (!holder.node().equals(node())) {
        generation.done(null, new NotOwner(room, holder.node()));
      } else {
        Held before = held.put(room, new Held(holder, lost, asked));
        if (before == null || !before.lease().equals(holder)) {
          takings.incrementAndGet();
        }
        if (before != null && !before.lease().equals(holder)) {
          losses.incrementAndGet();
          before.lost().run();
        }
        generation.done(holder.generation(), null);
      }
    });
  }

  @Override
  public void claimAbove(String room, long stored, Reply<Long> generation) {
    Held h = held.get(room);
    if (h == null) {
      generation.done(null, new IllegalStateException("room " + room + " is not this node's"));
      return;
    }
    leases.raise(h.lease(), stored, (raised, failure) -> {
      if (failure != null || raised == null) {
        generation.done(null, failure != null ? failure
            : new IllegalStateException("room " + room + " is not this node's any more"));
        return;
      }
      held.replace(room, h, new Held(raised, h.lost(), h.since()));
      generation.done(raised.generation(), null);
    });
  }

  @Override
  public boolean holds(String room) {
    Held h = held.get(room);
    return h != null && clock.millis() - h.since() < ttl.toMillis();
  }

  @Override
  public void release(String room) {
    Held h = held.remove(room);
    if (h != null) {
      losses.incrementAndGet();
      leases.release(h.lease(), Reply.ignore());
    }
  }

  /** This node's name, as its leases carry it. */
  public String node() {
    return leases.node();
  }

  /** The rooms this node holds now, by name. */
  public List<String> rooms() {
    List<String> names = new ArrayList<>(held.keySet());
    names.sort(null);
    return names;
  }

  /** How many times this node has taken a room's lease (a new holding, not a renewal). */
  public long roomsTaken() {
    return takings.get();
  }

  /** How many rooms this node has lost or given up since it started. */
  public long roomsLost() {
    return losses.get();
  }

  /** Extends every lease held; tells the rooms whose lease is lost. */
  public void renew() {
    long asked = clock.millis();
    held.forEach((room, h) -> leases.renew(h.lease(), ttl, (renewed, failure) -> {
      if (Boolean.TRUE.equals(renewed)) {
        held.replace(room, h, new Held(h.lease(), h.lost(), asked));
      } else if (failure == null || clock.millis() - h.since() >= ttl.toMillis()) {
        // taken by another node, or not renewed for as long as it lasts: another may take it
        if (held.remove(room, h)) {
          losses.incrementAndGet();
          h.lost().run();
        }
      }
    }));
  }

  /** Gives every lease up (a graceful stop), so other nodes take the rooms at once. */
  public void releaseAll(Reply<Void> done) {
    List<Held> all = new ArrayList<>(held.values());
    held.clear();
    losses.addAndGet(all.size());
    if (all.isEmpty()) {
      done.done(null, null);
      return;
    }
    AtomicInteger left = new AtomicInteger(all.size());
    for (Held h : all) {
      leases.release(h.lease(), (v, f) -> {
        if (left.decrementAndGet() == 0) {
          done.done(null, null);
        }
      });
    }
  }
}
