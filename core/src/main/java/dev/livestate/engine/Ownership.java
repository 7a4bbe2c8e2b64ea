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

  /**
   * The store refused the claimed generation: it holds {@code stored}, a later one. When this
   * node still holds the room (the coordinator lost its counters), its holding moves above
   * {@code stored} and the reply is the new generation; else the reply fails.
   */
  void claimAbove(String room, long stored, Reply<Long> generation);

  /**
   * Whether this node still holds a room it claimed, as far as it can tell without asking
   * anyone: a holding not renewed for as long as it lasts may be another node's by now, so the
   * room must not answer even a read from its memory.
   */
  boolean holds(String room);

  /**
   * Gives up this node's holding of a room it deleted, so that the next room of that name is
   * claimed anew by whichever node makes it, rather than held here for nothing.
   */
  void release(String room);

  /** Whether a room in {@code store} must be claimed: the store is the one the nodes share. */
  boolean governs(Store store);

  /** A single node: it owns every room. */
  Ownership SOLE = new Ownership() {
    @Override
    public void claim(String room, Runnable lost, Reply<Long> generation) {
      generation.done(0L, null);
    }

    @Override
    public void claimAbove(String room, long stored, Reply<Long> generation) {
      generation.done(null, new IllegalStateException("a single node claims no room"));
    }

    @Override
    public void release(String room) {
      // a single node holds nothing to give up
    }

    @Override
    public boolean holds(String room) {
      return true;
    }

    @Override
    public boolean governs(Store store) {
      return false;
    }
  };
}
