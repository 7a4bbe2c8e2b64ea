package dev.livestate.engine;

import dev.livestate.testkit.Connections;
import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.LedgerEntry;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.HeldCommitStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** An engine's life: its rooms, upkeep of its stores, waiting for its lanes, closing. */
@Fast
class EngineLifecycleTest {
  private static final Writer A = Writer.of("a");

  private final ManualClock clock = new ManualClock();

  @Test
  void randomEpochsAreSixteenHexDigitsAndNeverRepeat() {
    var epochs = Engine.randomEpochs();

    Set<String> seen = java.util.stream.Stream.generate(epochs).limit(100)
        .collect(Collectors.toSet());

    assertEquals(100, seen.size());
    seen.forEach(e -> assertTrue(e.matches("[0-9a-f]{16}"), e));
  }

  @Test
  void engineListsItsRoomsByNameAndShowsItsClock() {
    MemoryStore store = new MemoryStore();
    Engine engine = new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1");
    engine.open("a", RoomConfig.DEFAULT);
    engine.open("b", RoomConfig.DEFAULT.withDurable(false));

    assertEquals(Set.of("a", "b"),
        engine.rooms().stream().map(RoomHandle::name).collect(Collectors.toSet()));
    assertSame(clock, engine.clock());
  }

  @Test
  void expiredStreamMessagesArePurgedFromEveryStoreForGood() {
    MemoryStore durable = new MemoryStore();
    MemoryStore memory = new MemoryStore();
    Engine engine = new Engine(clock, Lanes.direct(), Stores.of(durable, memory), () -> "e1");
    RoomConfig config = RoomConfig.DEFAULT.withStream(Duration.ofMinutes(1), 100);
    long start = clock.millis();
    for (RoomHandle room : List.of(engine.open("d", config), engine.open("m",
        config.withDurable(false)))) {
      room.publish(start, new Json("1"), Reply.ignore());
    }
    clock.advance(Duration.ofMinutes(2));

    engine.expireStored();

    for (Store s : List.of(durable, memory)) {
      List<StreamMessage> kept = s.recover(start).get(0).stream();
      assertEquals(List.of(), kept, "read as of before the expiry: nothing left to read");
    }
  }

  @Test
  void quiesceReturnsOnceTheLanesRanWhatWasQueuedNotAfterItsTimeout() {
    MemoryStore store = new MemoryStore();
    try (Lanes lanes = Lanes.threads(2)) {
      Engine engine = new Engine(clock, lanes, Stores.of(store, store), () -> "e1");
      RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
      for (int i = 1; i <= 50; i++) {
        room.submit(A, Connections.of(A), List.of(proposal(i, 0, put("k" + i, "1"))), Reply.ignore());
      }

      engine.quiesce(600_000);

      assertEquals(50, room.head().seq());
    }
  }

  @Test
  void interruptedQuiesceReturnsAndKeepsTheInterrupt() {
    MemoryStore store = new MemoryStore();
    Engine engine = new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1");
    engine.open("r", RoomConfig.DEFAULT);

    Thread.currentThread().interrupt();
    engine.quiesce(600_000);

    assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
  }

  @Test
  void closeFinishesQueuedWorkCommitsItClosesEveryStoreEvenIfOneFailsThenStopsTheLanes() {
    HeldCommitStore held = new HeldCommitStore();
    GatedLanes lanes = new GatedLanes();
    Engine engine = new Engine(clock, lanes, Stores.of(new UnclosableStore(), held), () -> "e1");
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT.withDurable(false));
    CapturedReply<List<Outcome>> ack = new CapturedReply<>();
    room.submit(A, Connections.of(A), List.of(proposal(1, 0, put("k", "1"))), ack);

    try {
      lanes.openOnNextTask();
      engine.close();
    } finally {
      lanes.open();
    }

    assertEquals(List.of(new Outcome.Accepted(1, 1)), ack.value(), "answered: it was committed");
    StoredRoom stored = held.committed().recover(clock.millis()).get(0);
    assertEquals(List.of(1L), stored.recentOps().stream().map(Op::seq).toList());
    assertThrows(RejectedExecutionException.class,
        () -> lanes.laneOf("r").execute(() -> {}), "the lanes are stopped");
  }

  /**
   * One lane thread whose tasks wait at a gate, so a test can queue work that cannot have run
   * before a given call: the gate opens with the first task queued after {@link
   * #openOnNextTask()} (here: the engine's own task in {@code close}).
   */
  private static final class GatedLanes implements Lanes {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "gated-lane");
      t.setDaemon(true);
      return t;
    });
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile boolean armed;

    void openOnNextTask() {
      armed = true;
    }

    void open() {
      gate.countDown();
    }

    @Override
    public Executor laneOf(String room) {
      return task -> {
        if (armed) {
          gate.countDown();
        }
        thread.execute(() -> {
          try {
            gate.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          task.run();
        });
      };
    }

    @Override
    public void close() {
      thread.shutdown();
      try {
        thread.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A store whose close fails; otherwise a memory store. */
  private static final class UnclosableStore implements Store {
    private final MemoryStore inner = new MemoryStore();

    @Override
    public List<StoredRoom> recover(long now) {
      return inner.recover(now);
    }

    @Override
    public void create(String room, RoomConfig config, String epoch, Commit done) {
      inner.create(room, config, epoch, done);
    }

    @Override
    public void append(String room, List<Op> ops, List<LedgerEntry> ledger, Commit done) {
      inner.append(room, ops, ledger, done);
    }

    @Override
    public void putAttribute(String room, String key, Json value, Commit done) {
      inner.putAttribute(room, key, value, done);
    }

    @Override
    public void publish(String room, StreamMessage message, Commit done) {
      inner.publish(room, message, done);
    }

    @Override
    public void trim(String room, long throughSeq) {
      inner.trim(room, throughSeq);
    }

    @Override
    public void expire(long now) {
      inner.expire(now);
    }

    @Override
    public void delete(String room, Commit done) {
      inner.delete(room, done);
    }

    @Override
    public void load(String room, long now, Loaded done) {
      inner.load(room, now, done);
    }

    @Override
    public void probe(Commit done) {
      inner.probe(done);
    }

    @Override
    public void close() {
      throw new IllegalStateException("cannot close");
    }
  }
}
