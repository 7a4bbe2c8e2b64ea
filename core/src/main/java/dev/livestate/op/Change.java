package dev.livestate.op;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One change to a room's state, applied atomically. A value of {@code null} (Java null) deletes
 * its key; the JSON value null is {@link Json#NULL}, a value like any other, which a key keeps
 * as its value.
 */
public sealed interface Change {

  /** The keys this change writes, in order, each with its new value (null = delete). */
  Map<String, Json> values();

  /** The keys this change gives a value (JSON null among them), in order. */
  default Map<String, Json> sets() {
    Map<String, Json> sets = new LinkedHashMap<>();
    values().forEach((key, value) -> {
      if (value != null) {
        sets.put(key, value);
      }
    });
    return sets;
  }

  /**
   * The keys this change deletes, in order. A reset's are absent afterwards whether it lists them
   * or not.
   */
  default List<String> deletes() {
    List<String> keys = new ArrayList<>();
    values().forEach((key, value) -> {
      if (value == null) {
        keys.add(key);
      }
    });
    return keys;
  }

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
