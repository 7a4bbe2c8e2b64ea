package dev.livestate.engine;

import dev.livestate.store.Store;
import java.util.concurrent.Executor;

/**
 * How a room is deleted (decision 028). On one node, or for a room only this node keeps, the
 * engine forgets it at once and its store deletes it next. In a cluster the room's owner
 * deletes it, as a request handed to it like any other: the delete is ordered after the writes
 * the owner decided before it, and fenced like them. The owner then tells the other nodes and
 * gives up the room's lease, so the next room of that name is claimed by whichever node makes
 * it; every node that knew the room drops it and closes its subscribers with {@link
 * RoomClosed#DELETED}.
 */
final class Deletion {
  private final String room;
  private final Executor lane;
  private final Store store;
  private final Fanout fanout;
  private final Availability availability;
  private final Peers peers;
  private final Ownership ownership;
  /** Makes the engine forget the room. */
  private final Runnable forget;

  Deletion(String room, Executor lane, Store store, Fanout fanout, Availability availability,
      Peers peers, Ownership ownership, Runnable forget) {
    this.room = room;
    this.lane = lane;
    this.store = store;
    this.fanout = fanout;
    this.availability = availability;
    this.peers = peers;
    this.ownership = ownership;
    this.forget = forget;
  }

  /** Whether no other node could hold the room: this node deletes it alone. */
  boolean alone() {
    return peers == Peers.NONE;
  }

  /** Deletes a room no other node could hold. */
  void alone(Reply<Void> reply) {
    forget.run();
    lane.execute(() -> {
      drop();
      store.delete(room, f -> reply.done(null, f));
    });
  }

  /**
   * The owner's delete (lane only): once the store took it, {@code told} goes to the other
   * nodes. A delete the store refused (another node fenced the room since) leaves the room
   * there; this node forgets it all the same, and reads it again if asked.
   */
  void asOwner(Peers.Told told, Reply<Void> reply) {
    drop();
    store.delete(room, f -> lane.execute(() -> {
      if (f == null) {
        peers.told(room, told);
        ownership.release(room);
      }
      forget.run();
      reply.done(null, f);
    }));
  }

  /** The owner deleted the room (lane only): this node's copy goes, no longer followed. */
  void elsewhere() {
    drop();
    forget.run();
  }

  private void drop() {
    availability.deleted();
    fanout.closeAll(RoomClosed.DELETED);
  }
}
