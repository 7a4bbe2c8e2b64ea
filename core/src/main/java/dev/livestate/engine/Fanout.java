package dev.livestate.engine;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A room's subscribers on this node and how each event reaches them: encoded once per protocol
 * (through the shared {@link Broadcast}), in the order the room hands events over, never back to
 * the connection a change came from. The room that decides is one user; a node that only
 * relays another node's room is another. Confined to the room's lane.
 */
final class Fanout {
  private static final System.Logger LOG = System.getLogger(Fanout.class.getName());

  private final String room;
  private final EngineListener listener;
  private final Set<Subscriber> subscribers = new LinkedHashSet<>();
  private volatile int count;

  Fanout(String room, EngineListener listener) {
    this.room = room;
    this.listener = listener;
  }

  void add(Subscriber s) {
    subscribers.add(s);
    count = subscribers.size();
  }

  /** Returns whether it was subscribed. */
  boolean remove(Subscriber s) {
    boolean removed = subscribers.remove(s);
    count = subscribers.size();
    return removed;
  }

  /** Whether another subscription of this client is still here. */
  boolean hasClient(String clientId) {
    for (Subscriber s : subscribers) {
      if (s.clientId().equals(clientId)) {
        return true;
      }
    }
    return false;
  }

  /** How many subscribers there are; readable from any thread (a moment's view). */
  int count() {
    return count;
  }

  void deliver(RoomEvent event) {
    listener.deliveryStart(room, event);
    long start = System.nanoTime();
    Broadcast b = new Broadcast(event);
    Origin from = event instanceof RoomEvent.Relayed r ? r.origin() : null;
    int delivered = 0;
    for (Subscriber s : subscribers) {
      if (from != null && !s.echo() && from.equals(s.connection())) {
        continue;
      }
      try {
        s.deliver(b);
        delivered++;
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "subscriber of " + room + " failed", e);
      }
    }
    listener.deliveryEnd(room, event, delivered, System.nanoTime() - start);
  }

  /** Drops every subscriber, telling each why. */
  void closeAll(RoomClosed reason) {
    for (Subscriber s : subscribers) {
      s.closed(room, reason);
    }
    subscribers.clear();
    count = 0;
  }
}
