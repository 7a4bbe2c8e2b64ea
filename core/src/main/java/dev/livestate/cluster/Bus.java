package dev.livestate.cluster;

import dev.livestate.engine.Reply;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the nodes of a cluster say to each other: each room's committed events, published once by
 * the room's owner and received by every other node subscribed to the room, and heartbeats that
 * tell which nodes are alive. One bus object per node; thread-safe.
 *
 * <p><b>Delivery.</b> A message reaches every node subscribed to its room when it is published,
 * except the node that published it (that node fans it out itself), in the order that node
 * published it, at most once. It can be lost (a broken connection to the bus): receivers tell by
 * the seqs a message carries and repair a gap from the store, so the bus never has to be a log.
 * Handlers are called one at a time per node and must not block.
 *
 * <p><b>Requests.</b> A node can {@linkplain #ask ask} one other node by name and get one
 * answer back, from that node's {@linkplain #respond responder}: how a node that does not own
 * a room hands a request to the node that does (decision 023). A request is at most once, like
 * a message: when no answer comes within the asker's timeout the asker cannot tell whether it
 * was acted on, so what is asked must be safe to ask again.
 *
 * <p><b>Membership.</b> A node is alive from its heartbeat until the heartbeat's time to live
 * runs out, or until it {@linkplain #leave leaves}.
 */
public interface Bus extends AutoCloseable {

  /** A room's event as a node published it; {@code body} is opaque to the bus. */
  record Message(String node, String room, String body) {}

  /** A node's subscription to a room's messages. */
  interface Subscription {
    /** Stops the messages; idempotent. */
    void cancel();
  }

  /** This node's name, unique in the cluster. */
  String node();

  /** Sends {@code body} to every other node subscribed to {@code room}; replies once sent. */
  void publish(String room, String body, Reply<Void> sent);

  /**
   * Hands {@code handler} every message of {@code room} from other nodes published after
   * {@code ready} is answered. Several subscriptions of one room each get every message.
   */
  Subscription subscribe(String room, Consumer<Message> handler, Reply<Void> ready);

  /** Answers the requests other nodes address to this node; must reply once and not block. */
  interface Responder {
    void answer(String from, String body, Reply<String> answer);
  }

  /**
   * Sets what answers requests to this node, from when {@code ready} is answered; until then
   * they go unanswered.
   */
  void respond(Responder responder, Reply<Void> ready);

  /**
   * Hands {@code body} to node {@code to}'s responder and {@code answer} what it replies: its
   * answer, or its failure (an {@link IllegalStateException} with the responder's message), or a
   * {@link java.util.concurrent.TimeoutException} when nothing came back within {@code timeout}.
   * Answers reach a node once its own {@link #respond} is ready, so a node asks after that.
   */
  void ask(String to, String body, Duration timeout, Reply<String> answer);

  /** Says this node is alive for {@code ttl} from now. */
  void heartbeat(Duration ttl, Reply<Void> done);

  /** Says this node is gone, at once (a graceful stop). */
  void leave(Reply<Void> done);

  /** The nodes alive now, by name, in name order. */
  void nodes(Reply<List<String>> nodes);

  /** Cancels every subscription and lets go of the bus's resources. */
  @Override
  void close();
}
