package dev.livestate.op;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change to a room's state, applied atomically. A value of {@code null} (Java null) deletes
 * its key; the JSON value null is {@link Json#NULL}, a value like any other, which a key keeps
 * as its value.
 */
public sealed interface Change {

  /** The keys this change writes, in order, each with its new value (null = delete). */
  Map<String, Json> values();

  /** Sets (or deletes) each listed key; other keys keep their values. */
  record Put(Map<String, Json> values) implements Change {
    public Put {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Put of(String key, Json value) {
      Map<String, Json> one = new LinkedHashMap<>();
      one.put(key, value);
      return new Put(one);
    }
  }

  /** Clears the whole state, then sets the listed keys. */
  record Reset(Map<String, Json> values) implements Change {
    public Reset {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
  }
}
