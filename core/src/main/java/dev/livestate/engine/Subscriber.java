package dev.livestate.engine;

/**
 * A connection's membership of a room, as the room sees it. Called on the room's lane, one
 * event at a time in order; must not block (hand the bytes to the connection and return).
 */
public interface Subscriber {

  /** The client behind this subscription; ops it wrote are not relayed back to it. */
  String clientId();

  /** Whether ops this subscriber's own client wrote are relayed to it too. */
  default boolean echo() {
    return false;
  }

  void deliver(Broadcast broadcast);

  /** The room dropped this subscriber: it was deleted, or its store failed. */
  default void closed(String room, String reason) {}
}
