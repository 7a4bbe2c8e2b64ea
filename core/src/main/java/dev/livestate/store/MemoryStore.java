package dev.livestate.store;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.LedgerEntry;
import dev.livestate.room.RoomConfig;
import dev.livestate.state.Entry;
import dev.livestate.state.State;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    /** The {@link Op#textSize} of {@link #ops}. */
    long opsBytes;
    final List<StreamMessage> stream = new ArrayList<>();
    final Map<String, Json> attributes = new HashMap<>();
    final HeldLedger ledger = new HeldLedger();
  }

  /** A room's resend ledger as a store keeps it: each client's floor and decisions above it. */
  private static final class HeldLedger {
    final Map<String, Long> floors = new HashMap<>();
    final Map<String, TreeMap<Long, Outcome>> decided = new HashMap<>();

    void apply(LedgerEntry entry) {
      if (entry instanceof LedgerEntry.Decided d) {
        decided.computeIfAbsent(d.clientId(), c -> new TreeMap<>())
            .put(d.outcome().localSeq(), d.outcome());
      } else if (entry instanceof LedgerEntry.Forgotten f) {
        floors.merge(f.clientId(), f.throughLocalSeq(), Math::max);
        TreeMap<Long, Outcome> of = decided.get(f.clientId());
        if (of != null) {
          of.headMap(f.throughLocalSeq(), true).clear();
        }
      }
    }

    List<LedgerEntry> entries() {
      List<LedgerEntry> all = new ArrayList<>();
      floors.forEach((client, floor) -> all.add(new LedgerEntry.Forgotten(client, floor)));
      decided.forEach((client, outcomes) ->
          outcomes.values().forEach(o -> all.add(new LedgerEntry.Decided(client, o))));
      return all;
    }
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
    // a copy in the state's order: Map.copyOf would lose it
    Map<String, Entry> entries = Collections.unmodifiableMap(
        new LinkedHashMap<>(h.state.entries()));
    return new StoredRoom(name, h.config, h.epoch, h.head, entries, List.copyOf(h.ops), live,
        Map.copyOf(h.attributes), h.ledger.entries());
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
  public void append(String room, List<Op> ops, List<LedgerEntry> ledger, Commit done) {
    Throwable failure = null;
    synchronized (this) {
      Held h = rooms.get(room);
      if (h == null) {
        failure = unknown(room);
      } else {
        failure = gap(h.head, ops);
      }
      if (failure == null) {
        for (Op op : ops) {
          h.head = op.seq();
          h.state.apply(op);
          h.ops.addLast(op);
          h.opsBytes += op.textSize();
        }
        while (h.ops.size() > h.config.retainOps()
            || (!h.ops.isEmpty() && h.opsBytes > h.config.retainBytes())) {
          h.opsBytes -= h.ops.pollFirst().textSize();
        }
        ledger.forEach(h.ledger::apply);
      }
    }
    done.done(failure);
  }

  /** Why ops cannot follow {@code head}, or null when their seqs continue it without a gap. */
  private static IllegalStateException gap(long head, List<Op> ops) {
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).seq() != head + 1 + i) {
        return new IllegalStateException("gap: head " + (head + i) + ", op " + ops.get(i).seq());
      }
    }
    return null;
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
        h.opsBytes -= h.ops.pollFirst().textSize();
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
