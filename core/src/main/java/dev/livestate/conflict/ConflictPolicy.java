package dev.livestate.conflict;

import dev.livestate.state.Entry;
import java.util.Locale;

/**
 * How a room decides a conflicting write: one that changes a key another writer set after the
 * writer's base seq, to a different value.
 */
public enum ConflictPolicy {
  /** The later write is accepted. */
  LAST_WRITER_WINS,
  /** The write already in the room stands; the later one is rejected. */
  FIRST_WRITER_WINS,
  /** Accepted only when the writer's priority is strictly higher than the current value's. */
  PRIORITY;

  /** Whether a conflicting write with {@code priority} replaces {@code current}. */
  public boolean overrules(int priority, Entry current) {
    return switch (this) {
      case LAST_WRITER_WINS -> true;
      case FIRST_WRITER_WINS -> false;
      case PRIORITY -> priority > current.priority();
    };
  }

  /** The name used in configuration and on the wire, e.g. {@code last-writer-wins}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static ConflictPolicy fromWireName(String name) {
    for (ConflictPolicy p : values()) {
      if (p.wireName().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown conflict policy '" + name + "' (last-writer-wins, first-writer-wins, priority)");
  }
}
