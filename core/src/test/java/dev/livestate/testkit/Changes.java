package dev.livestate.testkit;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import java.util.LinkedHashMap;
import java.util.Map;

/** Short ways to write changes and proposals in tests. Values are JSON text, e.g. {@code "1"}. */
public final class Changes {
  private Changes() {}

  /** A JSON value from its text; null stays null (a delete). */
  public static Json json(String text) {
    return text == null ? null : new Json(text);
  }

  /** Sets (or, with a null value, deletes) one key. */
  public static Change.Put put(String key, String value) {
    return Change.Put.of(key, json(value));
  }

  /** Sets keys and values given in pairs: {@code puts("a", "1", "b", "2")}. */
  public static Change.Put puts(String... keysAndValues) {
    return new Change.Put(pairs(keysAndValues));
  }

  /** Clears the state, then sets keys and values given in pairs. */
  public static Change.Reset reset(String... keysAndValues) {
    return new Change.Reset(pairs(keysAndValues));
  }

  public static Proposal proposal(long localSeq, long baseSeq, Change change) {
    return new Proposal(localSeq, baseSeq, change);
  }

  private static Map<String, Json> pairs(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values come in pairs");
    }
    Map<String, Json> values = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put(keysAndValues[i], json(keysAndValues[i + 1]));
    }
    return values;
  }
}
