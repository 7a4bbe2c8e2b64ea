package dev.livestate.state;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The materialised key→value map of a room: the fold of its ops. Not thread-safe.
 *
 * <p><b>Order.</b> Keys are listed in the order they were first set, as a Python dict keeps them
 * (the original UI sync server's state, whose clients expect their keys back in their order): a
 * key set again keeps its place, a new key goes last, and a deleted key that is set again goes
 * last, as a new one. A reset's keys therefore come in the reset's order. A tombstone keeps the
 * place of its key until the key is set again.
 */
public final class State {
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private int live;

  /** Looks up a key, tombstones included. */
  public Entry get(String key) {
    return entries.get(key);
  }

  /** Restores one recovered entry (tombstone or value), after those restored before it. */
  public void restore(String key, Entry entry) {
    put(key, entry);
  }

  public void apply(Op op) {
    if (op.change() instanceof Change.Reset) {
      entries.replaceAll((key, e) ->
          e.deleted() ? e : new Entry(null, op.seq(), op.writer(), op.priority()));
      live = 0;
    }
    for (Map.Entry<String, Json> e : op.change().values().entrySet()) {
      put(e.getKey(), new Entry(e.getValue(), op.seq(), op.writer(), op.priority()));
    }
  }

  private void put(String key, Entry entry) {
    Entry previous = entries.get(key);
    if (previous == null || previous.deleted()) {
      if (!entry.deleted()) {
        // new or revived: it goes last (a map keeps a replaced key where it was)
        entries.remove(key);
        live++;
      }
    } else if (entry.deleted()) {
      live--;
    }
    entries.put(key, entry);
  }

  /** Number of keys that hold a value. */
  public int size() {
    return live;
  }

  /** The live keys and values in the state's order, as a copy. */
  public Map<String, Json> values() {
    Map<String, Json> copy = new LinkedHashMap<>();
    entries.forEach((k, e) -> {
      if (!e.deleted()) {
        copy.put(k, e.value());
      }
    });
    return copy;
  }

  /** Every entry in the state's order, tombstones included, read-only; for stores and tests. */
  public Map<String, Entry> entries() {
    return Collections.unmodifiableMap(entries);
  }
}
