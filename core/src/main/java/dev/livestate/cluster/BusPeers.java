package dev.livestate.cluster;

import dev.livestate.engine.Peers;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomRequest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link Peers} over a {@link Bus}. A batch travels as the room's epoch and seq range only, a
 * few bytes, since the ops themselves are read from the store the nodes share (decision 021);
 * another event travels as {@code event } and the text of a {@link RequestWire}, so a node
 * tells the two apart and one of an older version skips events (decision 024). A request
 * handed to a room's owner is a request to that node, in the wire's text form, answered with
 * the owner's answer or its refusal (decisions 023, 024).
 */
public final class BusPeers implements Peers {
  private static final System.Logger LOG = System.getLogger(BusPeers.class.getName());
  static final String EVENT = "event ";
  private final Bus bus;
  private final RequestWire wire;
  private final Duration timeout;
  private volatile Owner owner;
  /** The live nodes at the last look (null before the first). */
  private Set<String> live;

  /** @param timeout how long a node waits for the owner to answer a request it handed over */
  public BusPeers(Bus bus, RequestWire wire, Duration timeout) {
    this.bus = Objects.requireNonNull(bus, "bus");
    this.wire = Objects.requireNonNull(wire, "wire");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public <A> void forward(String owner, String room, RoomRequest<A> request, Reply<A> reply) {
    // a leader that left keeps its room for its grace, and is answered only when that ends
    Duration wait = request instanceof RoomRequest.LeaderLeft l ? timeout.plus(l.grace())
        : timeout;
    bus.ask(owner, wire.request(room, request), wait, (text, failure) -> {
      if (failure != null) {
        reply.done(null, failure);
        return;
      }
      A answer;
      try {
        answer = wire.parseAnswer(request, text);
      } catch (IllegalArgumentException e) {
        reply.done(null, e);
        return;
      }
      reply.done(answer, null);
    });
  }

  @Override
  public void serve(Owner owner, Reply<Void> ready) {
    this.owner = owner;
    bus.respond((from, body, answer) -> {
      RequestWire.Addressed<?> a;
      try {
        a = wire.parseRequest(body);
      } catch (IllegalArgumentException e) {
        answer.done(null, e);
        return;
      }
      serve(owner, from, a, answer);
    }, ready);
  }

  private <A> void serve(Owner owner, String from, RequestWire.Addressed<A> a,
      Reply<String> answer) {
    owner.serve(from, a.room(), a.request(), (value, failure) -> {
      if (failure != null) {
        answer.done(null, failure);
      } else {
        answer.done(wire.answer(a.request(), value), null);
      }
    });
  }

  /**
   * The nodes alive now, as a look after this node's heartbeat found them: a node that was alive
   * at the last look and is not now has left, and what its clients held in this node's rooms
   * goes (decision 024).
   */
  public synchronized void alive(List<String> nodes) {
    Set<String> now = new HashSet<>(nodes);
    Owner o = owner;
    if (live != null && o != null) {
      for (String node : live) {
        if (!now.contains(node) && !node.equals(bus.node())) {
          LOG.log(System.Logger.Level.INFO, "node " + node + " left the live nodes");
          o.nodeLeft(node);
        }
      }
    }
    live = now;
  }

  @Override
  public void committed(String room, String epoch, long from, long through) {
    bus.publish(room, epoch + " " + from + " " + through, (v, f) -> {
      if (f != null) {
        // followers notice the missing batch by the next one's seqs and read it from the store
        LOG.log(System.Logger.Level.WARNING, "batch of " + room + " not published: " + f);
      }
    });
  }

  @Override
  public void told(String room, Told told) {
    bus.publish(room, EVENT + wire.told(told), (v, f) -> {
      if (f != null) {
        // followers notice it by the next event's number, or at their next refresh
        LOG.log(System.Logger.Level.WARNING, "event of " + room + " not published: " + f);
      }
    });
  }

  @Override
  public Following follow(String room, Consumer<News> news, Reply<Void> ready) {
    Bus.Subscription s = bus.subscribe(room, m -> {
      News n = news(m);
      if (n != null) {
        news.accept(n);
      }
    }, ready);
    return s::cancel;
  }

  /** The news a message tells, or null for a message no node of this version sends. */
  News news(Bus.Message m) {
    if (m.body().startsWith(EVENT)) {
      try {
        return wire.parseTold(m.node(), m.body().substring(EVENT.length()));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return batch(m);
  }

  /** The batch a message tells of, or null for a message that is no batch. */
  static Batch batch(Bus.Message m) {
    String[] parts = m.body().split(" ");
    if (parts.length != 3) {
      return null;
    }
    try {
      return new Batch(m.node(), parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
