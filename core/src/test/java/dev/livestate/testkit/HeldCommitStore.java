package dev.livestate.testkit;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.LedgerEntry;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.MemoryStore;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.StreamMessage;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A store whose writes (and loads) commit only when the test says so, in call order, as the
 * {@link Store} contract requires. A write is applied to an inner {@link MemoryStore} when it
 * commits (so {@link #recover} shows only committed writes, like a durable store after a crash);
 * a write made to fail is never applied. Thread-safe.
 */
public final class HeldCommitStore implements Store {
  /** A write, or a read ({@code isRead}) that waits its turn behind the writes before it. */
  private record Held(String what, Consumer<Commit> write, Commit done, boolean isRead) {}

  private final MemoryStore committed = new MemoryStore();
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private volatile boolean failing;

  /** How many writes wait for their commit. */
  public synchronized int held() {
    return held.size();
  }

  /** What the waiting writes are, oldest first (e.g. {@code append room [3, 4]}). */
  public synchronized List<String> heldWrites() {
    return held.stream().map(Held::what).toList();
  }

  /** Commits the oldest waiting write; fails the test if there is none. */
  public void commitNext() {
    Held h = next();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    h.write().accept(failure::set);
    if (!h.isRead()) {
      failing = false;
    }
    h.done().done(failure.get());
  }

  /**
   * Applies the oldest waiting write (or runs the oldest waiting load) now, as a database runs a
   * statement, and returns what tells its caller later: what commits in between is not in it.
   */
  public Runnable applyNextAnswerLater() {
    Held h = next();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    h.write().accept(failure::set);
    return () -> h.done().done(failure.get());
  }

  /** Commits waiting writes until none is left (including any made meanwhile). */
  public void commitAll() {
    while (held() > 0) {
      commitNext();
    }
  }

  /**
   * Fails the oldest waiting write with {@code failure}; it is not applied. The store is failing
   * until a write or a probe commits.
   */
  public void failNext(Throwable failure) {
    Held h = next();
    failing |= !h.isRead();
    h.done().done(failure);
  }

  /** Fails the oldest waiting write as refused for itself alone: the store is not failing. */
  public void refuseNext(Throwable failure) {
    next().done().done(failure);
  }

  /** The store committed writes go to: to recover from, or to inspect. */
  public MemoryStore committed() {
    return committed;
  }

  private synchronized Held next() {
    Held h = held.pollFirst();
    if (h == null) {
      throw new AssertionError("no write is waiting for its commit");
    }
    return h;
  }

  private synchronized void hold(String what, Consumer<Commit> write, Commit done) {
    held.addLast(new Held(what, write, done, false));
  }

  @Override
  public List<StoredRoom> recover(long now) {
    return committed.recover(now);
  }

  /** A load waits its turn like a write, and then reads what has committed. */
  @Override
  public void load(String room, long now, Loaded done) {
    holdRead("load " + room, answer -> committed.load(room, now, answer), done);
  }

  /** As {@link #load}; waiting, it shows as {@code load ROOM after SEQ}. */
  @Override
  public void loadAfter(String room, long afterSeq, long now, Loaded done) {
    holdRead("load " + room + " after " + afterSeq,
        answer -> committed.loadAfter(room, afterSeq, now, answer), done);
  }

  private synchronized void holdRead(String what, Consumer<Loaded> read, Loaded done) {
    AtomicReference<StoredRoom> found = new AtomicReference<>();
    held.addLast(new Held(what, c -> read.accept((stored, failure) -> {
      found.set(stored);
      c.done(failure);
    }), failure -> done.done(failure == null ? found.get() : null, failure), true));
  }

  @Override
  public boolean failing() {
    return failing;
  }

  @Override
  public void probe(Commit done) {
    hold("probe", c -> c.done(null), done);
  }

  @Override
  public void create(String room, RoomConfig config, String epoch, Commit done) {
    hold("create " + room, c -> committed.create(room, config, epoch, c), done);
  }

  @Override
  public void append(String room, List<Op> ops, List<LedgerEntry> ledger, Commit done) {
    hold("append " + room + " " + ops.stream().map(Op::seq).toList(),
        c -> committed.append(room, ops, ledger, c), done);
  }

  @Override
  public void putAttribute(String room, String key, Json value, Commit done) {
    hold("attribute " + room + " " + key, c -> committed.putAttribute(room, key, value, c), done);
  }

  @Override
  public void publish(String room, StreamMessage message, Commit done) {
    hold("publish " + room + " " + message.id(), c -> committed.publish(room, message, c), done);
  }

  @Override
  public void trim(String room, long throughSeq) {
    committed.trim(room, throughSeq);
  }

  @Override
  public void expire(long now) {
    committed.expire(now);
  }

  @Override
  public void delete(String room, Commit done) {
    hold("delete " + room, c -> committed.delete(room, c), done);
  }

  /** Commits everything still waiting. */
  @Override
  public void close() {
    commitAll();
  }
}
