package dev.livestate.engine;

import dev.livestate.op.Proposal;
import dev.livestate.room.Writer;
import dev.livestate.sync.Outcome;
import java.util.List;
import java.util.function.Consumer;

/**
 * The other nodes of a cluster as a room sees them (decision 021): the owner tells them of each
 * committed batch, once, by its seq range; a node that only relays a room follows those news and
 * reads the ops from the shared store. A node that does not own a room hands its writers'
 * submits to the owner and relays the owner's answers (decision 023). On a single node there
 * are no peers.
 */
public interface Peers {

  /** A committed batch of a room: seqs {@code from} through {@code through} of {@code epoch}. */
  record Batch(String node, String epoch, long from, long through) {}

  /** A writer's submit, as one node hands it to another. */
  record Submit(Writer writer, List<Proposal> proposals, long seenThrough) {}

  /** What decides the submits other nodes hand to this node's rooms. */
  interface Owner {
    /** Decides {@code submit} in {@code room}, handed over by node {@code from}. */
    void submit(String from, String room, Submit submit, Reply<List<Outcome>> reply);
  }

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

  /**
   * Hands {@code submit} to node {@code owner}, which owns {@code room}, and replies with its
   * outcomes, or fails when the owner refused it or did not answer in time (the submit may
   * still have been decided there: a resend is answered from the owner's ledger).
   */
  void forward(String owner, String room, Submit submit, Reply<List<Outcome>> reply);

  /** Lets {@code owner} decide what other nodes hand to this node, from when {@code ready}. */
  void serve(Owner owner, Reply<Void> ready);

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

    @Override
    public void forward(String owner, String room, Submit submit, Reply<List<Outcome>> reply) {
      reply.done(null, new IllegalStateException("a single node has no other node to ask"));
    }

    @Override
    public void serve(Owner owner, Reply<Void> ready) {
      ready.done(null, null);
    }
  };
}
