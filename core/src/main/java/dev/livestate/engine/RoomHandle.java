package dev.livestate.engine;

import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import dev.livestate.room.Leadership;
import dev.livestate.room.Position;
import dev.livestate.room.Room;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A room as a protocol adapter sees it: the one face adapters talk to, whether the room is
 * decided on this node or (later) forwarded to the node that owns it.
 *
 * <p>Every method is thread-safe and returns at once. Answers come through a {@link Reply},
 * called once what it reports is committed, on a thread of the engine's (never the caller's
 * event loop): a reply must hand its bytes to a connection and return. Replies and events
 * reach each subscriber in the order the room decided them. The getters are a moment's view.
 */
public interface RoomHandle {

  String name();

  RoomConfig config();

  /** The head as last decided (may include ops whose commit is still under way). */
  Position head();

  String leader();

  int subscriberCount();

  /** A private attribute (auth data and the like): never relayed, never in a snapshot. */
  Json attribute(String key);

  /** Every private attribute whose key starts with {@code prefix}: a copy, a moment's view. */
  Map<String, Json> attributes(String prefix);

  boolean sealed();

  /**
   * Subscribes and catches the subscriber up from {@code since} (null: a snapshot). The reply
   * comes before any event the subscriber is then sent, with no gap and no duplicate between.
   */
  void join(Subscriber subscriber, Position since, Reply<Joined> reply);

  /**
   * Unsubscribes; also drops the client's presence record if it has one and this was its last
   * subscription here. Takes effect after a join of the same subscriber still waiting for a
   * commit, so a connection that left is never subscribed afterwards.
   */
  void leave(Subscriber subscriber);

  /**
   * Decides a batch of proposals; the reply carries one outcome per proposal, in order. Accepted
   * changes go to every subscriber but the {@code origin} connection.
   */
  default void submit(Writer writer, Origin origin, List<Proposal> proposals,
      Reply<List<Outcome>> reply) {
    submit(writer, origin, proposals, Room.NOTHING_CONFIRMED, reply);
  }

  /**
   * Like {@link #submit(Writer, Origin, List, Reply)}, from a writer that confirms it saw the
   * answers to its changes through localSeq {@code seenThrough}: the room forgets those
   * decisions, and answers a resend of one as forgotten (decision 007).
   */
  void submit(Writer writer, Origin origin, List<Proposal> proposals, long seenThrough,
      Reply<List<Outcome>> reply);

  /**
   * Replies once every write the room made before this call has committed, its creation among
   * them; fails if one of them failed. For a door that answers "created" without a write of its
   * own.
   */
  void whenCommitted(Reply<Void> reply);

  /** What a client missed since {@code since}, without subscribing it. */
  void catchUp(Position since, Reply<CatchUp> reply);

  void snapshot(Reply<CatchUp.Snapshot> reply);

  /**
   * Claims leadership; a previous leader that lost the room is told through the event.
   * {@code identity} (may be null) is who the leader is across reconnects: see {@link
   * #leaderLeft}.
   */
  void claimLeader(String clientId, String identity, Reply<Leadership> reply);

  default void claimLeader(String clientId, Reply<Leadership> reply) {
    claimLeader(clientId, null, reply);
  }

  /** Ends the client's leadership; replies false if it was not the leader. */
  void releaseLeader(String clientId, Reply<Boolean> reply);

  /**
   * The client's connection is gone. If it leads, it keeps the room for {@code grace} (zero: it
   * loses it at once); a claim under the same identity within that time takes the room back
   * and subscribers hear of no gap. The reply comes once that is settled: true when the client
   * lost the room with nobody taking it over (at once, or when the grace ran out), false when it
   * was not the leader or another claim took the room meanwhile.
   */
  void leaderLeft(String clientId, Duration grace, Reply<Boolean> lostRoom);

  /** Sets or refreshes a client's presence data; subscribers hear of it when it changed. */
  void setPresence(String clientId, Json data);

  /** Keeps a client's presence record alive without changing it. */
  void touchPresence(String clientId);

  void removePresence(String clientId);

  void presence(Reply<Map<String, Json>> reply);

  /** Appends a message timed {@code time} (epoch millis) to the room's stream. */
  void publish(long time, Json body, Reply<StreamMessage> reply);

  /** Unexpired stream messages timed within [from, to], oldest first. */
  void readStream(long from, long to, Reply<List<StreamMessage>> reply);

  /** Sets (null: removes) a private attribute, durably. */
  void putAttribute(String key, Json value, Reply<Void> reply);

  /** Makes the room read-only for good; subscribers are told. */
  void seal(Reply<Void> reply);
}
