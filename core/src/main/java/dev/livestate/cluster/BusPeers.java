package dev.livestate.cluster;

import dev.livestate.engine.Peers;
import dev.livestate.engine.Reply;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link Peers} over a {@link Bus}: a batch travels as the room's epoch and seq range only, a
 * few bytes, since the ops themselves are read from the store the nodes share (decision 021).
 */
public final class BusPeers implements Peers {
  private static final System.Logger LOG = System.getLogger(BusPeers.class.getName());
  private final Bus bus;

  public BusPeers(Bus bus) {
    this.bus = Objects.requireNonNull(bus, "bus");
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
