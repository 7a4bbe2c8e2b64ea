package dev.livestate.store;

/**
 * A write refused by a {@linkplain Store#fence fence}: the room was fenced by an owner of a
 * later generation than this store writes it as (decision 015).
 */
public final class FencedOut extends IllegalStateException {
  private final long stored;

  public FencedOut(String room, long stored, long mine) {
    super("room " + room + " was taken by a later owner (generation " + stored
        + ", this node's " + mine + "): this node no longer owns it");
    this.stored = stored;
  }

  /** The generation the room's store holds. */
  public long stored() {
    return stored;
  }
}
