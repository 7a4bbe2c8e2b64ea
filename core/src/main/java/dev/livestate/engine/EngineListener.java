package dev.livestate.engine;

import dev.livestate.sync.Outcome;
import java.util.List;

/**
 * What the engine and the server's surfaces tell about their work: the one seam for metrics
 * and the console. Every method has a no-op default, so a listener overrides only what it
 * counts. Timed work comes as a start and an end event, the end carrying the duration.
 *
 * <p>Contract for implementations: calls come from room lanes, store writer threads and event
 * loops, concurrently; each must return at once (count, never block or do I/O) and should not
 * throw — the engine catches and logs what is thrown, and carries on.
 */
public interface EngineListener {
  EngineListener NONE = new EngineListener() {};

  /** A room was created, or recovered from its store at start. */
  default void roomOpened(String room) {}

  /** A room was deleted. */
  default void roomDeleted(String room) {}

  /** A batch of proposals reached its room's lane. */
  default void submitStart(String room, int proposals) {}

  /**
   * The batch was answered (after its commit, if anything was accepted): {@code nanos} from
   * {@link #submitStart} to the answer is what the client waits for an ack. Rejections are the
   * {@link Outcome.Rejected} entries.
   */
  default void submitEnd(String room, List<Outcome> outcomes, long nanos) {}

  /** A write (ops, a stream message, an attribute) was handed to the room's store. */
  default void commitStart(String room) {}

  /** The store answered a write: committed, or failed with {@code failure}. */
  default void commitEnd(String room, long nanos, Throwable failure) {}

  /** An event is about to go to the room's subscribers on this node. */
  default void deliveryStart(String room, RoomEvent event) {}

  /** The event was handed to {@code subscribers} connections. */
  default void deliveryEnd(String room, RoomEvent event, int subscribers, long nanos) {}

  /** A client connected to a surface (by its home's label: native, ui-sync, meet, ...). */
  default void connectionOpened(String surface) {}

  /** A client's connection to a surface ended; {@code reason} says why (a close reason's name). */
  default void connectionClosed(String surface, String reason) {}
}
