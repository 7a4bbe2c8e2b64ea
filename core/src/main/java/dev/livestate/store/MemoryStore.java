package dev.livestate.store;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.RoomConfig;
import dev.livestate.state.State;
import dev.livestate.stream.StreamMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A store in this process's memory, for ephemeral rooms: every write commits at once and
 * nothing survives the process. Recovery within one process (a new engine on the same store)
 * works, which is what its contract tests use.
 */
public final class MemoryStore implements Store {
  private static final class Held {
    RoomConfig config;
    String epoch;
    long head;
    final State state = new State();
    final ArrayDeque<Op> ops = new ArrayDeque<>();
    final List<StreamMessage> stream = new ArrayList<>();
    final Map<String, Json> attributes = new HashMap<>();
  }

  private final Map<String, Held> rooms = new LinkedHashMap<>();

  @Override
  public synchronized List<StoredRoom> recover(long now) {
    List<StoredRoom> all = new ArrayList<>();
    rooms.forEach((name, h) -> all.add(stored(name, h, now)));
    return all;
  }

  @Override
  public void load(String room, long now, Loaded done) {
    StoredRoom found;
    synchronized (this) {
      Held h = rooms.get(room);
      found = h == null ? null : stored(room, h, now);
    }
    done.done(found, null);
  }

  private static StoredRoom stored(String name, Held h, long now) {
    List<StreamMessage> live = h.stream.stream().filter(m -> !m.expired(now)).toList();
    return new StoredRoom(name, h.config, h.epoch, h.head, Map.copyOf(h.state.entries()),
        List.copyOf(h.ops), live, Map.copyOf(h.attributes));
  }

  @Override
  public void create(String room, RoomConfig config, String epoch, Commit done) {
    synchronized (this) {
      Held h = new Held();
      h.config = config;
      h.epoch = epoch;
      rooms.put(room, h);
    }
    done.done(null);
  }

  @Override
  public void append(String room, List<Op> ops, Commit done) {
    Throwable failure = null;
    synchronized (this) {
      Held h = rooms.get(room);
      if (h == null) {
        failure = unknown(room);
      } else {
        for (Op op : ops) {
          if (op.seq() != h.head + 1) {
            failure = new IllegalStateException("gap: head " + h.head + ", op " + op.seq());
            break;
          }
          h.head = op.seq();
          h.state.apply(op);
          h.ops.addLast(op);
        }
        while (h.ops.size() > h.config.retainOps()) {
          h.ops.pollFirst();
        }
      }
    }
    done.done(failure);
  }

  @Override
  public void putAttribute(String room, String key, Json value, Commit done) {
    Throwable failure = null;
    synchronized (this) {
      Held h = rooms.get(room);
      if (h == null) {
        failure = unknown(room);
      } else if (value == null) {
        h.attributes.remove(key);
      } else {
        h.attributes.put(key, value);
      }
    }
    done.done(failure);
  }

  @Override
  public void publish(String room, StreamMessage message, Commit done) {
    Throwable failure = null;
    synchronized (this) {
      Held h = rooms.get(room);
      if (h == null) {
        failure = unknown(room);
      } else {
        h.stream.add(message);
      }
    }
    done.done(failure);
  }

  /** A write to a room never created (or deleted) fails: acking it would ack what is not kept. */
  private static IllegalStateException unknown(String room) {
    return new IllegalStateException("no room " + room);
  }

  @Override
  public synchronized void trim(String room, long throughSeq) {
    Held h = rooms.get(room);
    if (h != null) {
      while (!h.ops.isEmpty() && h.ops.peekFirst().seq() <= throughSeq) {
        h.ops.pollFirst();
      }
    }
  }

  @Override
  public synchronized void expire(long now) {
    rooms.values().forEach(h -> h.stream.removeIf(m -> m.expired(now)));
  }

  @Override
  public void delete(String room, Commit done) {
    synchronized (this) {
      rooms.remove(room);
    }
    done.done(null);
  }

  /** Nothing to prove: memory takes every write. */
  @Override
  public void probe(Commit done) {
    done.done(null);
  }

  @Override
  public void close() {}
}
