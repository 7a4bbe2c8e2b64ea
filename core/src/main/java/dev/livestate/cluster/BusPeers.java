package dev.livestate.cluster;

import dev.livestate.engine.Peers;
import dev.livestate.engine.Reply;
import dev.livestate.sync.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link Peers} over a {@link Bus}: a batch travels as the room's epoch and seq range only, a
 * few bytes, since the ops themselves are read from the store the nodes share (decision 021). A
 * submit handed to a room's owner is a request to that node, in the text form of a {@link
 * SubmitWire}, answered with the outcomes or the owner's refusal (decision 023).
 */
public final class BusPeers implements Peers {
  private static final System.Logger LOG = System.getLogger(BusPeers.class.getName());
  private final Bus bus;
  private final SubmitWire wire;
  private final Duration timeout;

  /** @param timeout how long a node waits for the owner to answer a submit it handed over */
  public BusPeers(Bus bus, SubmitWire wire, Duration timeout) {
    this.bus = Objects.requireNonNull(bus, "bus");
    this.wire = Objects.requireNonNull(wire, "wire");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public void forward(String owner, String room, Submit submit, Reply<List<Outcome>> reply) {
    bus.ask(owner, wire.request(room, submit), timeout, (text, failure) -> {
      if (failure != null) {
        reply.done(null, failure);
        return;
      }
      List<Outcome> outcomes;
      try {
        outcomes = wire.parseAnswer(text);
      } catch (IllegalArgumentException e) {
        reply.done(null, e);
        return;
      }
      reply.done(outcomes, null);
    });
  }

  @Override
  public void serve(Owner owner, Reply<Void> ready) {
    bus.respond((from, body, answer) -> {
      SubmitWire.Addressed a;
      try {
        a = wire.parseRequest(body);
      } catch (IllegalArgumentException e) {
        answer.done(null, e);
        return;
      }
      owner.submit(from, a.room(), a.submit(), (outcomes, failure) -> {
        if (failure != null) {
          answer.done(null, failure);
        } else {
          answer.done(wire.answer(outcomes), null);
        }
      });
    }, ready);
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
  public Following follow(String room, Consumer<Batch> batches, Reply<Void> ready) {
    Bus.Subscription s = bus.subscribe(room, m -> {
      Batch b = batch(m);
      if (b != null) {
        batches.accept(b);
      }
    }, ready);
    return s::cancel;
  }

  /** The batch a message tells of, or null for a message no node of this version sends. */
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
