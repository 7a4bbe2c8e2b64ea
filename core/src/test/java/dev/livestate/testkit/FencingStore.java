package dev.livestate.testkit;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.LedgerEntry;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.FencedOut;
import dev.livestate.store.MemoryStore;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.StreamMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's view of a store several nodes share, in memory: the data and each room's stored
 * generation belong to the shared {@link Database}, the generation each room is fenced with to
 * this view. Fences as the JDBC stores do (decision 015): a fence must outrank the stored
 * generation; a write of a fenced room is refused once a later one is stored.
 */
public final class FencingStore implements Store {

  /** The data every node sees. */
  public static final class Database {
    final MemoryStore data = new MemoryStore();
    final Map<String, Long> generations = new HashMap<>();
  }

  private final Database db;
  private final Map<String, Long> fences = new HashMap<>();

  public FencingStore(Database db) {
    this.db = db;
  }

  @Override
  public void fence(String room, long generation, Commit done) {
    synchronized (db) {
      long stored = db.generations.getOrDefault(room, 0L);
      if (stored >= generation) {
        done.done(new FencedOut(room, stored, generation));
        return;
      }
      db.generations.put(room, generation);
      fences.put(room, generation);
    }
    done.done(null);
  }

  /** Whether this view may write {@code room}; if not, {@code done} is told why. */
  private boolean passes(String room, Commit done) {
    synchronized (db) {
      Long mine = fences.get(room);
      long stored = db.generations.getOrDefault(room, 0L);
      if (mine != null && stored > mine) {
        done.done(new FencedOut(room, stored, mine));
        return false;
      }
      return true;
    }
  }

  @Override
  public List<StoredRoom> recover(long now) {
    return db.data.recover(now);
  }

  @Override
  public void load(String room, long now, Loaded done) {
    db.data.load(room, now, done);
  }

  @Override
  public void create(String room, RoomConfig config, String epoch, Commit done) {
    if (passes(room, done)) {
      db.data.create(room, config, epoch, done);
    }
  }

  @Override
  public void append(String room, List<Op> ops, List<LedgerEntry> ledger, Commit done) {
    if (passes(room, done)) {
      db.data.append(room, ops, ledger, done);
    }
  }

  @Override
  public void putAttribute(String room, String key, Json value, Commit done) {
    if (passes(room, done)) {
      db.data.putAttribute(room, key, value, done);
    }
  }

  @Override
  public void publish(String room, StreamMessage message, Commit done) {
    if (passes(room, done)) {
      db.data.publish(room, message, done);
    }
  }

  @Override
  public void trim(String room, long throughSeq) {
    db.data.trim(room, throughSeq);
  }

  @Override
  public void expire(long now) {
    db.data.expire(now);
  }

  @Override
  public void delete(String room, Commit done) {
    if (passes(room, done)) {
      db.data.delete(room, done);
    }
  }

  @Override
  public void probe(Commit done) {
    db.data.probe(done);
  }

  @Override
  public void close() {}
}
