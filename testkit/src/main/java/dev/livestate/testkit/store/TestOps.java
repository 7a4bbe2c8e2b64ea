package dev.livestate.testkit.store;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.state.Entry;
import dev.livestate.state.State;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builders of values and ops for store tests, and the state a list of ops folds into. */
public final class TestOps {
  private TestOps() {}

  public static Json json(String text) {
    return new Json(text);
  }

  /** Keys and value texts, alternating; a null text deletes its key, "null" is the value null. */
  public static Map<String, Json> values(String... keysAndValues) {
    Map<String, Json> values = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      String text = keysAndValues[i + 1];
      values.put(keysAndValues[i], text == null ? null : json(text));
    }
    return values;
  }

  public static Op op(long seq, String writer, int priority, Change change) {
    return new Op(seq, writer, seq * 10, priority, StoreFixture.NOW + seq, change);
  }

  public static Op put(long seq, String writer, String... keysAndValues) {
    return op(seq, writer, 0, new Change.Put(values(keysAndValues)));
  }

  /** An op of 1-3 puts (JSON null among the values) or deletes over 8 keys, now and then a reset. */
  public static Op randomOp(Random random, long seq) {
    String writer = "writer-" + random.nextInt(4);
    int priority = random.nextInt(3);
    Map<String, Json> values = new LinkedHashMap<>();
    for (int k = 1 + random.nextInt(3); k > 0; k--) {
      int roll = random.nextInt(10);
      values.put("key-" + random.nextInt(8), roll == 0 ? null
          : roll == 1 ? Json.NULL
          : roll < 5 ? json(String.valueOf(random.nextInt(1000)))
          : json("{\"v\":\"" + random.nextInt(1000) + "\"}"));
    }
    Change change = random.nextInt(40) == 0 ? new Change.Reset(values) : new Change.Put(values);
    return op(seq, writer, priority, change);
  }

  /** The entries {@code ops} fold into, in the state's order, tombstones included. */
  public static Map<String, Entry> fold(List<Op> ops) {
    State state = new State();
    ops.forEach(state::apply);
    return Collections.unmodifiableMap(new LinkedHashMap<>(state.entries()));
  }

  /** The entries of a map in its order: two of these are equal only in the same order. */
  public static List<Map.Entry<String, Entry>> inOrder(Map<String, Entry> entries) {
    return List.copyOf(entries.entrySet());
  }
}
