package dev.livestate.cluster;

import dev.livestate.engine.Reply;
import java.time.Duration;

/**
 * Who owns each room: at most one node at a time holds a room's lease, for a time to live that
 * it renews while it serves the room. Each new holding has a generation larger than every
 * earlier holding of the same room, by any node: the owner fences the store with it, so a node
 * whose lease ran out while it was paused can never commit again (decision 015). One object per
 * node; thread-safe.
 */
public interface Leases extends AutoCloseable {

  /** A holding of a room's lease: who holds it and which generation the holding is. */
  record Lease(String room, String node, long generation) {}

  /** This node's name: the holder its leases name. */
  String node();

  /**
   * Takes the room's lease for this node when nobody holds it (a new generation), or extends it
   * when this node holds it already (the same generation). A holding of this node's name taken
   * by another object (the node's process before it was started again) is taken over with a new
   * generation. Replies with the holder after the call: this node's lease, or another node's
   * that still holds the room.
   */
  void acquire(String room, Duration ttl, Reply<Lease> holder);

  /** Extends a lease this node holds; replies false when it is no longer held (it ran out). */
  void renew(Lease lease, Duration ttl, Reply<Boolean> renewed);

  /**
   * Moves a lease this node holds to a generation above {@code stored}, when the store holds a
   * later generation than this holding's: the bus lost its counters (a Redis restarted without
   * its data), and a holding must still outrank every earlier one. Replies with the new holding,
   * or null when this node no longer holds the room.
   */
  void raise(Lease lease, long stored, Reply<Lease> raised);

  /** Gives a lease up at once, if this node still holds it, so another node can take the room. */
  void release(Lease lease, Reply<Void> done);

  /** Who holds the room's lease now, or null. */
  void holder(String room, Reply<Lease> holder);

  @Override
  void close();
}
