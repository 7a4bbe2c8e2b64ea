package dev.livestate.state;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The materialised key→value map of a room: the fold of its ops. Not thread-safe. */
public final class State {
  private final Map<String, Entry> entries = new HashMap<>();
  private int live;

  /** Looks up a key, tombstones included. */
  public Entry get(String key) {
    return entries.get(key);
  }

  /** Restores one recovered entry (tombstone or value). */
  public void restore(String key, Entry entry) {
    put(key, entry);
  }

  public void apply(Op op) {
    if (op.change() instanceof Change.Reset) {
      for (Map.Entry<String, Entry> e : Map.copyOf(entries).entrySet()) {
        if (!e.getValue().deleted()) {
          put(e.getKey(), new Entry(null, op.seq(), op.writer(), op.priority()));
        }
      }
    }
    for (Map.Entry<String, Json> e : op.change().values().entrySet()) {
      put(e.getKey(), new Entry(e.getValue(), op.seq(), op.writer(), op.priority()));
    }
  }

  private void put(String key, Entry entry) {
    Entry previous = entries.put(key, entry);
    if (previous != null && !previous.deleted()) {
      live--;
    }
    if (!entry.deleted()) {
      live++;
    }
  }

  /** Number of keys that hold a value. */
  public int size() {
    return live;
  }

  /** The live keys and values, as a copy. */
  public Map<String, Json> values() {
    Map<String, Json> copy = new LinkedHashMap<>();
    entries.forEach((k, e) -> {
      if (!e.deleted()) {
        copy.put(k, e.value());
      }
    });
    return copy;
  }

  /** Every entry, tombstones included, read-only; for stores and tests. */
  public Map<String, Entry> entries() {
    return Collections.unmodifiableMap(entries);
  }
}
