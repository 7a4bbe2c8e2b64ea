package dev.livestate.cluster;

import dev.livestate.engine.Reply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A cluster inside one process: the {@link Bus} and {@link Leases} of several nodes (several
 * engines in one JVM), sharing one hub. Messages are handed to subscribers on the publisher's
 * thread, under the hub's lock, so every node gets them one at a time and in order. Time (heartbeats,
 * leases) is the given clock's: a manual clock makes expiry a test's step. A request is handed
 * to its node's responder on the asker's thread; nothing is lost in one process, so a request
 * waits for its answer however long it takes, and one to a node without a responder fails at
 * once as if its time ran out.
 */
public final class MemoryCluster {
  private final Clock clock;
  private final Object lock = new Object();
  /** Subscriptions by room, each with the node it belongs to. */
  private final Map<String, List<NodeSubscription>> subscriptions = new HashMap<>();
  /** Each node's heartbeat expiry, in clock millis. */
  private final Map<String, Long> alive = new TreeMap<>();
  private final Map<String, Held> leases = new HashMap<>();
  private final Map<String, Long> generations = new HashMap<>();
  private final Map<String, Bus.Responder> responders = new ConcurrentHashMap<>();

  /** A room's lease, until when it lasts, and which {@link #leases(String)} object took it. */
  private record Held(Leases.Lease lease, long until, Leases by) {}

  private final class NodeSubscription implements Bus.Subscription {
    final String node;
    final String room;
    final Consumer<Bus.Message> handler;

    NodeSubscription(String node, String room, Consumer<Bus.Message> handler) {
      this.node = node;
      this.room = room;
      this.handler = handler;
    }

    @Override
    public void cancel() {
      synchronized (lock) {
        List<NodeSubscription> of = subscriptions.get(room);
        if (of != null) {
          of.remove(this);
        }
      }
    }
  }

  public MemoryCluster(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Forgets every lease and generation, as a Redis restarted without its data would. */
  public void loseLeases() {
    synchronized (lock) {
      leases.clear();
      generations.clear();
    }
  }

  /** The bus of node {@code node}. */
  public Bus bus(String node) {
    return new NodeBus(node);
  }

  /**
   * The leases as node {@code node} takes them. A second object of one name is the node started
   * again: it takes the name's rooms back with new generations.
   */
  public Leases leases(String node) {
    return new NodeLeases(node);
  }

  private final class NodeBus implements Bus {
    private final String node;
    private final List<NodeSubscription> own = new ArrayList<>();

    NodeBus(String node) {
      this.node = Objects.requireNonNull(node, "node");
    }

    @Override
    public String node() {
      return node;
    }

    @Override
    public void publish(String room, String body, Reply<Void> sent) {
      synchronized (lock) {
        Message m = new Message(node, room, body);
        for (NodeSubscription s : List.copyOf(subscriptions.getOrDefault(room, List.of()))) {
          if (!s.node.equals(node)) {
            s.handler.accept(m);
          }
        }
      }
      sent.done(null, null);
    }

    @Override
    public Subscription subscribe(String room, Consumer<Message> handler, Reply<Void> ready) {
      NodeSubscription s = new NodeSubscription(node, room, handler);
      synchronized (lock) {
        subscriptions.computeIfAbsent(room, r -> new ArrayList<>()).add(s);
        own.add(s);
      }
      ready.done(null, null);
      return s;
    }

    @Override
    public void respond(Responder responder, Reply<Void> ready) {
      responders.put(node, Objects.requireNonNull(responder, "responder"));
      ready.done(null, null);
    }

    @Override
    public void ask(String to, String body, Duration timeout, Reply<String> answer) {
      Responder r = responders.get(to);
      if (r == null) {
        answer.done(null, new TimeoutException("node " + to + " did not answer"));
        return;
      }
      // as over the wire: a failure arrives as its message only
      r.answer(node, body, (a, f) -> answer.done(a,
          f == null ? null : new IllegalStateException(f.getMessage())));
    }

    @Override
    public void heartbeat(Duration ttl, Reply<Void> done) {
      synchronized (lock) {
        alive.put(node, clock.millis() + ttl.toMillis());
      }
      done.done(null, null);
    }

    @Override
    public void leave(Reply<Void> done) {
      synchronized (lock) {
        alive.remove(node);
      }
      done.done(null, null);
    }

    @Override
    public void nodes(Reply<List<String>> nodes) {
      List<String> live = new ArrayList<>();
      synchronized (lock) {
        long now = clock.millis();
        alive.forEach((n, until) -> {
          if (until > now) {
            live.add(n);
          }
        });
      }
      nodes.done(live, null);
    }

    @Override
    public void close() {
      List<NodeSubscription> mine;
      synchronized (lock) {
        mine = List.copyOf(own);
        own.clear();
      }
      mine.forEach(NodeSubscription::cancel);
      responders.remove(node);
    }
  }

  private final class NodeLeases implements Leases {
    private final String node;

    NodeLeases(String node) {
      this.node = Objects.requireNonNull(node, "node");
    }

    @Override
    public String node() {
      return node;
    }

    @Override
    public void acquire(String room, Duration ttl, Reply<Lease> holder) {
      Lease result;
      synchronized (lock) {
        long now = clock.millis();
        Held held = current(room, now);
        if (held == null || held.lease().node().equals(node) && held.by() != this) {
          long generation = generations.merge(room, 1L, Long::sum);
          result = new Lease(room, node, generation);
          leases.put(room, new Held(result, now + ttl.toMillis(), this));
        } else {
          result = held.lease();
          if (held.by() == this) {
            leases.put(room, new Held(result, now + ttl.toMillis(), this));
          }
        }
      }
      holder.done(result, null);
    }

    @Override
    public void renew(Lease lease, Duration ttl, Reply<Boolean> renewed) {
      boolean held;
      synchronized (lock) {
        long now = clock.millis();
        Held h = current(lease.room(), now);
        held = h != null && h.lease().equals(lease);
        if (held) {
          leases.put(lease.room(), new Held(lease, now + ttl.toMillis(), this));
        }
      }
      renewed.done(held, null);
    }

    @Override
    public void raise(Lease lease, long stored, Reply<Lease> raised) {
      Lease result = null;
      synchronized (lock) {
        Held h = current(lease.room(), clock.millis());
        if (h != null && h.lease().equals(lease)) {
          long generation = Math.max(generations.merge(lease.room(), 1L, Long::sum), stored + 1);
          generations.put(lease.room(), generation);
          result = new Lease(lease.room(), node, generation);
          leases.put(lease.room(), new Held(result, h.until(), this));
        }
      }
      raised.done(result, null);
    }

    @Override
    public void release(Lease lease, Reply<Void> done) {
      synchronized (lock) {
        Held h = current(lease.room(), clock.millis());
        if (h != null && h.lease().equals(lease)) {
          leases.remove(lease.room());
        }
      }
      done.done(null, null);
    }

    @Override
    public void holder(String room, Reply<Lease> holder) {
      Held h;
      synchronized (lock) {
        h = current(room, clock.millis());
      }
      holder.done(h == null ? null : h.lease(), null);
    }

    @Override
    public void close() {}
  }

  /** The room's holding unless it ran out (then it is dropped); under the lock. */
  private Held current(String room, long now) {
    Held h = leases.get(room);
    if (h != null && h.until() <= now) {
      leases.remove(room);
      return null;
    }
    return h;
  }
}
