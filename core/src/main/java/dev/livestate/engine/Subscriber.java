package dev.livestate.engine;

/**
 * A connection's membership of a room, as the room sees it. Called on the room's lane, one
 * event at a time in order; must not block (hand the bytes to the connection and return).
 */
public interface Subscriber {

  /** The connection behind this subscription: changes it made are not relayed back to it. */
  Origin.Client connection();

  /** The client behind this subscription (its presence record is keyed by it). */
  default String clientId() {
    return connection().clientId();
  }

  /** Whether changes this subscriber's own connection made are relayed to it too. */
  default boolean echo() {
    return false;
  }

  void deliver(Broadcast broadcast);

  /** The room dropped this subscriber: it was deleted, or its store failed. */
  default void closed(String room, RoomClosed reason) {}
}
