package dev.livestate.store;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
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

  /**
   * Every room held, each with its state (its keys in their order, a JSON null value as
   * {@link Json#NULL} and a deleted key as a tombstone), head, recent ops (at most
   * {@code retainOps} of its config, a JSON null value and a delete told apart as they were
   * appended) and unexpired stream messages at {@code now}. Blocking; called at start.
   */
  List<StoredRoom> recover(long now);

  /** Records a new room with its config and epoch, replacing any room of that name. */
  void create(String room, RoomConfig config, String epoch, Commit done);

  /**
   * Appends ops whose seqs continue the room's log without a gap, and folds them into the stored
   * state, atomically: after a crash either all of them are there or none.
   */
  void append(String room, List<Op> ops, Commit done);

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

  /** Commits everything written so far, then releases resources. Blocking. */
  @Override
  void close();
}
