package dev.livestate.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A key's visible value changed.
 *
 * @param value the new value, or null when the key is gone (a JSON null written by another
 *     surface is a {@code NullNode})
 * @param seq the room's seq that changed it, 0 for a local change or a rollback
 */
public record ChangeEvent(String key, JsonNode value, long seq, Origin origin) {
  /** Why the value changed. */
  public enum Origin {
    /** this client changed it (not yet acked) */
    LOCAL,
    /** the room changed it: another writer, a catch-up or a snapshot */
    REMOTE,
    /** the room refused this client's change, and the key shows what the room holds again */
    ROLLBACK
  }
}
