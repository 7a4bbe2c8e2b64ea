package dev.livestate.state;

import dev.livestate.op.Json;

/**
 * One key of a room's state: its value and the write that set it. A {@code null} value is a
 * tombstone: the key was deleted at {@code seq}, which conflict detection still needs to know.
 */
public record Entry(Json value, long seq, String writer, int priority) {
  public boolean deleted() {
    return value == null;
  }
}
