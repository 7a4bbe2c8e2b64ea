package dev.livestate.conflict;

import dev.livestate.op.Json;
import dev.livestate.state.Entry;
import java.util.Objects;

/** Rules for when a proposed value of a key conflicts with the room's current entry. */
public final class Conflict {
  private Conflict() {}

  /**
   * A write conflicts when the key's current entry was set after what the writer had seen, by
   * someone else, to a different value.
   */
  public static boolean between(Entry current, Json proposed, long baseSeq, String writer) {
    return current != null
        && current.seq() > baseSeq
        && !current.writer().equals(writer)
        && !Objects.equals(current.value(), proposed);
  }
}
