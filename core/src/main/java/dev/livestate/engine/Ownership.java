package dev.livestate.engine;

import dev.livestate.store.Store;

/**
 * Whether this node may decide a room (cluster mode, decision 015). A room whose store is shared
 * by several nodes is decided by one node at a time: before its first request the room claims
 * itself, fences its store with the generation it is given, and reloads from the store; when the
 * node loses the room the room stops serving, and its next request claims it again. On a single
 * node every room is this node's and nothing is claimed.
 */
public interface Ownership {

  /** The room is this node's, or it is another's. */
  final class NotOwner extends IllegalStateException {
    private final String owner;

    public NotOwner(String room, String owner) {
      super("room " + room + " is served by node " + owner + " now: retry, or connect there");
      this.owner = owner;
    }

    /** The node that owns the room. */
    public String owner() {
      return owner;
    }
  }

  /**
   * Claims the room for this node: replies with the generation to fence its store with, or
   * fails ({@link NotOwner} when another node holds it). {@code lost} runs once if the node
   * loses the room afterwards; it must not block.
   */
  void claim(String room, Runnable lost, Reply<Long> generation);

  /** Whether a room in {@code store} must be claimed: the store is the one the nodes share. */
  boolean governs(Store store);

  /** A single node: it owns every room. */
  Ownership SOLE = new Ownership() {
    @Override
    public void claim(String room, Runnable lost, Reply<Long> generation) {
      generation.done(0L, null);
    }

    @Override
    public boolean governs(Store store) {
      return false;
    }
  };
}
