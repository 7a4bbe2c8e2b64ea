package dev.livestate.room;

import java.util.Objects;

/**
 * A point in a room's history: the room's epoch and a seq. The epoch changes when a room is lost
 * and created again, so an old seq is never mistaken for one of the new history.
 */
public record Position(String epoch, long seq) {
  public Position {
    Objects.requireNonNull(epoch, "epoch");
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0");
    }
  }
}
