package dev.livestate.engine;

import dev.livestate.op.Json;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The other nodes of a cluster as a room sees them. The owner tells them of each committed
 * batch, once, by its seq range (decision 021), and of each other event its subscribers are
 * handed (decision 024); a node that only relays a room follows that news and reads the ops from
 * the shared store. A node that does not own a room hands the room's requests to the owner and
 * relays the owner's answers (decisions 023, 024). On a single node there are no peers.
 */
public interface Peers {

  /** What the owner of a room tells the nodes that follow it. */
  sealed interface News permits Batch, Told {}

  /** A committed batch of a room: seqs {@code from} through {@code through} of {@code epoch}. */
  record Batch(String node, String epoch, long from, long through) implements News {}

  /**
   * An event other than ops (leader, presence, stream, seal) that the owner's subscribers were
   * handed, or the room's deletion (decision 028). {@code holding} is the owner's generation of the room (its fence), {@code number}
   * counts the events of that holding from 1, and {@code at} is the room's committed seq when
   * the event was: a follower hands it on after the ops through {@code at}.
   */
  record Told(String node, long holding, long number, long at, RoomEvent event) implements News {}

  /** Who leads the room and who is present, as of event {@code number} of {@code holding}. */
  record Company(long holding, long number, long at, String leader, Map<String, Json> presence) {
    public Company {
      presence = Map.copyOf(presence);
    }
  }

  /** What answers the requests other nodes hand to this node's rooms. */
  interface Owner {
    /** Answers {@code request} for {@code room}, handed over by node {@code from}. */
    <A> void serve(String from, String room, RoomRequest<A> request, Reply<A> reply);

    /** Node {@code node} left the live nodes: what its clients held here is dropped. */
    void nodeLeft(String node);
  }

  /** A node's following of one room's news. */
  interface Following {
    /** Stops the news; idempotent. */
    void cancel();
  }

  /** Tells every other node following {@code room} that a batch of it committed. */
  void committed(String room, String epoch, long from, long through);

  /** Tells every other node following {@code room} of an event ({@code told.node} is unused). */
  void told(String room, Told told);

  /**
   * Hands {@code news} every batch and event of {@code room} told by another node after {@code
   * ready} is answered; {@code news} must not block.
   */
  Following follow(String room, Consumer<News> news, Reply<Void> ready);

  /**
   * Hands {@code request} to node {@code owner}, which owns {@code room}, and replies with its
   * answer, or fails when the owner refused it or did not answer in time (the request may still
   * have been served there).
   */
  <A> void forward(String owner, String room, RoomRequest<A> request, Reply<A> reply);

  /** Lets {@code owner} answer what other nodes hand to this node, from when {@code ready}. */
  void serve(Owner owner, Reply<Void> ready);

  /** A single node: nobody to tell, nothing to follow. */
  Peers NONE = new Peers() {
    @Override
    public void committed(String room, String epoch, long from, long through) {
      // no other node
    }

    @Override
    public void told(String room, Told told) {
      // no other node
    }

    @Override
    public Following follow(String room, Consumer<News> news, Reply<Void> ready) {
      ready.done(null, null);
      return () -> { };
    }

    @Override
    public <A> void forward(String owner, String room, RoomRequest<A> request, Reply<A> reply) {
      reply.done(null, new IllegalStateException("a single node has no other node to ask"));
    }

    @Override
    public void serve(Owner owner, Reply<Void> ready) {
      ready.done(null, null);
    }
  };
}
