package dev.livestate.engine;

import dev.livestate.op.Json;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A room's private attributes as this node knows them (decision 026). The owner's are its own,
 * changed as it decides. A node that does not own the room takes them from each read of the
 * shared store, and adds the ones it had the owner put: a read that began before such a put was
 * answered must not take it back, so those puts are laid over every read that may predate them.
 * A reload from the store (this node claimed the room) outranks every read begun before it.
 * Read from any thread; changed on the room's lane only.
 */
final class Attributes {
  private record Put(String key, Json value) {}

  private final Map<String, Json> values = new ConcurrentHashMap<>();
  /** Puts answered by the owner while a read was under way, by their number. */
  private final TreeMap<Long, Put> forwarded = new TreeMap<>();
  /** Counts forwarded puts and reloads: a read's token is the count when it began. */
  private long changes;
  private long reloadedAt;
  private int reads;

  Json get(String key) {
    return values.get(key);
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  /** Every attribute whose key starts with {@code prefix}: a copy. */
  Map<String, Json> startingWith(String prefix) {
    Map<String, Json> found = new HashMap<>(values);
    found.keySet().removeIf(k -> !k.startsWith(prefix));
    return found;
  }

  /** Sets (null: removes) an attribute this node decided. */
  void put(String key, Json value) {
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
  }

  /** {@code reply}, which first takes the put if the owner this node handed it to made it. */
  Reply<Void> forwarded(String key, Json value, Reply<Void> reply) {
    return (v, f) -> {
      if (f == null) {
        forwarded(key, value);
      }
      reply.done(v, f);
    };
  }

  private void forwarded(String key, Json value) {
    put(key, value);
    changes++;
    if (reads > 0) {
      forwarded.put(changes, new Put(key, value));
    }
  }

  /** The room was loaded from its store: its attributes are these, whatever reads still come. */
  void reload(Map<String, Json> stored) {
    values.keySet().retainAll(stored.keySet());
    values.putAll(stored);
    forwarded.clear();
    reloadedAt = ++changes;
  }

  /** A read of the store begins; returns the token to hand {@link #read} when it ends. */
  long readStarted() {
    reads++;
    return changes;
  }

  /**
   * The read begun at {@code token} ended with {@code stored} (null: it failed). Keys are
   * replaced one by one, so a key held before and after is never missing meanwhile.
   */
  void read(long token, Map<String, Json> stored) {
    reads--;
    if (stored != null && token >= reloadedAt) {
      Map<String, Json> now = new LinkedHashMap<>(stored);
      forwarded.tailMap(token, false).values().forEach(p -> {
        if (p.value() == null) {
          now.remove(p.key());
        } else {
          now.put(p.key(), p.value());
        }
      });
      values.keySet().retainAll(now.keySet());
      values.putAll(now);
    }
    if (reads == 0) {
      forwarded.clear();
    }
  }
}
