package dev.livestate.store;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.LedgerEntry;
import dev.livestate.room.RoomConfig;
import dev.livestate.stream.StreamMessage;
import java.util.List;

/**
 * Where rooms are kept. Writes are asynchronous and <b>ordered</b>: every write is applied in
 * the order it was called, and its {@link Commit} runs only after it is committed (for a durable
 * store: after it would survive a crash of the process), also in call order. Callbacks may run on
 * a store thread and must not block. All methods are thread-safe.
 */
public interface Store extends AutoCloseable {

  /** Told once a write is committed, or with the reason it was not. */
  @FunctionalInterface
  interface Commit {
    Commit NONE = failure -> {};

    void done(Throwable failure);
  }

  /** Told what {@link #load} read back: the room, or null when the store holds no such room. */
  @FunctionalInterface
  interface Loaded {
    void done(StoredRoom room, Throwable failure);
  }

  /**
   * Every room held, each with its state (its keys in their order, a JSON null value as
   * {@link Json#NULL} and a deleted key as a tombstone), head, recent ops (at most
   * {@code retainOps} of its config, a JSON null value and a delete told apart as they were
   * appended) and unexpired stream messages at {@code now}. Blocking; called at start.
   */
  List<StoredRoom> recover(long now);

  /**
   * One room as {@link #recover} would return it, read after every write called before this one
   * has committed or failed, or null when the store holds no such room (its creation failed, or
   * it was deleted). For a room whose store failed a write: its memory ran ahead of the store,
   * and this is what the store really holds. Asynchronous, like a write.
   */
  void load(String room, long now, Loaded done);

  /**
   * What a node relaying a room reads to hand on its new ops: as {@link #load}, except that its
   * recent ops need hold only those after {@code afterSeq}, and its state, stream messages and
   * ledger may be left out (empty). Such a read grows with what is new in the room, not with the
   * history it keeps, which a relaying node reads at every batch and every second otherwise.
   * This default reads the whole room.
   */
  default void loadAfter(String room, long afterSeq, long now, Loaded done) {
    load(room, now, done);
  }

  /**
   * Makes this store the owner of {@code room} at {@code generation} (cluster mode, decision
   * 015): this and every later write of the room from this store is checked, in the transaction
   * that commits it, against the generation the stored room holds, and refused when a later
   * owner has fenced the room since; a write that passes leaves the room at this generation.
   * The fence itself is refused unless its generation is later than the stored one: an equal
   * one is another claim's.
   * Ordered like any write. A store that no other process writes has no owner to fence out and
   * refuses it.
   */
  default void fence(String room, long generation, Commit done) {
    done.done(new UnsupportedOperationException(
        getClass().getSimpleName() + " is not shared between nodes: it cannot fence a room"));
  }

  /** Records a new room with its config and epoch, replacing any room of that name. */
  void create(String room, RoomConfig config, String epoch, Commit done);

  /**
   * Appends ops whose seqs continue the room's log without a gap, folds them into the stored
   * state, and applies the {@code ledger} entries in order (a decision recorded, a client's
   * decisions forgotten through a localSeq), atomically: after a crash either all of it is there
   * or none. {@code ops} may be empty (a batch that only refused changes). The ledger is kept
   * apart from the ops: trimming history leaves it as it is.
   */
  void append(String room, List<Op> ops, List<LedgerEntry> ledger, Commit done);

  /** Appends ops with their acks as the ledger entries: a batch that refused nothing. */
  default void append(String room, List<Op> ops, Commit done) {
    append(room, ops, LedgerEntry.acksOf(ops), done);
  }

  /** Sets (or, with null, removes) a private attribute of a room, such as auth data. */
  void putAttribute(String room, String key, Json value, Commit done);

  /** Adds a stream message to a room. */
  void publish(String room, StreamMessage message, Commit done);

  /** Forgets a room's ops with seq ≤ {@code throughSeq}; its state is kept. */
  void trim(String room, long throughSeq);

  /** Deletes stream messages expired at {@code now}. */
  void expire(long now);

  /** Removes a room and all it holds. */
  void delete(String room, Commit done);

  /**
   * Whether the store is failing: its last commit (a group of writes, or a {@link #probe}) failed
   * for a reason of the store's own, a database that is down or a disk that is full, and none has
   * succeeded since. A write refused for itself alone (a seq gap, a room it does not hold) does
   * not make it failing. Thread-safe, and cheap enough for every request; a store that cannot
   * fail says false.
   */
  default boolean failing() {
    return false;
  }

  /**
   * Commits a small write that belongs to no room, to learn whether the store takes writes again:
   * its outcome is what {@link #failing} says next. Ordered like any write.
   */
  void probe(Commit done);

  /** Commits everything written so far, then releases resources. Blocking. */
  @Override
  void close();
}
