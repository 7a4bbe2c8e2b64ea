package dev.livestate.engine;

import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The stores an engine keeps rooms in: one for durable rooms, one for ephemeral rooms, and any
 * number of named ones that a room's config can select.
 */
public final class Stores {
  private final Store durable;
  private final Store memory;
  private final Map<String, Store> named;

  public Stores(Store durable, Store memory, Map<String, Store> named) {
    this.durable = Objects.requireNonNull(durable, "durable");
    this.memory = Objects.requireNonNull(memory, "memory");
    this.named = new LinkedHashMap<>(named);
  }

  public static Stores of(Store durable, Store memory) {
    return new Stores(durable, memory, Map.of());
  }

  /** The server's own durable store: in a cluster, the one the nodes share. */
  public Store durable() {
    return durable;
  }

  /** The store a room with this config lives in. */
  public Store forConfig(RoomConfig config) {
    if (config.store() != null) {
      Store s = named.get(config.store());
      if (s == null) {
        throw new IllegalArgumentException("unknown store '" + config.store() + "'");
      }
      return s;
    }
    return config.durable() ? durable : memory;
  }

  public boolean has(String name) {
    return named.containsKey(name);
  }

  /** Every distinct store, durable first. */
  public List<Store> all() {
    List<Store> all = new ArrayList<>();
    all.add(durable);
    if (memory != durable) {
      all.add(memory);
    }
    for (Store s : named.values()) {
      if (!all.contains(s)) {
        all.add(s);
      }
    }
    return all;
  }
}
