package dev.livestate.engine;

import java.util.function.Consumer;

/**
 * The other nodes of a cluster as a room sees them (decision 021): the owner tells them of each
 * committed batch, once, by its seq range; a node that only relays a room follows those news and
 * reads the ops from the shared store. On a single node there are no peers.
 */
public interface Peers {

  /** A committed batch of a room: seqs {@code from} through {@code through} of {@code epoch}. */
  record Batch(String node, String epoch, long from, long through) {}

  /** A node's following of one room's batches. */
  interface Following {
    /** Stops the news; idempotent. */
    void cancel();
  }

  /** Tells every other node following {@code room} that a batch of it committed. */
  void committed(String room, String epoch, long from, long through);

  /**
   * Hands {@code batches} every batch of {@code room} committed by another node after {@code
   * ready} is answered; {@code batches} must not block.
   */
  Following follow(String room, Consumer<Batch> batches, Reply<Void> ready);

  /** A single node: nobody to tell, nothing to follow. */
  Peers NONE = new Peers() {
    @Override
    public void committed(String room, String epoch, long from, long through) {
      // no other node
    }

    @Override
    public Following follow(String room, Consumer<Batch> batches, Reply<Void> ready) {
      ready.done(null, null);
      return () -> { };
    }
  };
}
