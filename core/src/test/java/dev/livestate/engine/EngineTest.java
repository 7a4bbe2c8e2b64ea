package dev.livestate.engine;

import dev.livestate.testkit.Connections;
import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.op.Proposal;
import dev.livestate.room.Leadership;
import dev.livestate.room.Position;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine over a memory store: rooms, leaders, upkeep, recovery. */
@Fast
class EngineTest {
  private static final Writer A = Writer.of("a");

  private final ManualClock clock = new ManualClock();
  private final MemoryStore store = new MemoryStore();
  private final AtomicInteger epochs = new AtomicInteger();

  private Engine engine() {
    return new Engine(clock, Lanes.direct(), Stores.of(store, store),
        () -> "epoch-" + epochs.incrementAndGet());
  }

  private static List<Outcome> submit(RoomHandle room, Writer w, Proposal... proposals) {
    CapturedReply<List<Outcome>> reply = new CapturedReply<>();
    room.submit(w, Connections.of(w), List.of(proposals), reply);
    return reply.value();
  }

  private static <T> T value(java.util.function.Consumer<Reply<T>> call) {
    CapturedReply<T> reply = new CapturedReply<>();
    call.accept(reply);
    return reply.value();
  }

  @Test
  void openingAnExistingRoomReturnsItWithItsOwnConfig() {
    Engine engine = engine();
    RoomHandle first = engine.open("r", RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY));

    RoomHandle again = engine.open("r", RoomConfig.DEFAULT);

    assertSame(first, again);
    assertEquals(ConflictPolicy.PRIORITY, again.config().policy());
    assertEquals(new Position("epoch-1", 0), again.head());
    assertThrows(IllegalArgumentException.class, () -> engine.open("", RoomConfig.DEFAULT));
  }

  @Test
  void recoveryFromTheStoreGivesTheSameStateHeadEpochSealAndAttributes() {
    Engine before = engine();
    RoomHandle room = before.open("r", RoomConfig.DEFAULT);
    submit(room, A, proposal(1, 0, put("k", "1")), proposal(2, 0, put("j", "2")));
    submit(room, Writer.of("b"), proposal(1, 2, put("k", null)));
    room.putAttribute("auth", new Json("\"hash\""), Reply.ignore());
    room.seal(Reply.ignore());
    CatchUp.Snapshot snapshot = value(room::snapshot);

    Engine after = engine();
    assertEquals(1, after.recover());
    RoomHandle recovered = after.room("r");

    assertEquals(new Position("epoch-1", 3), recovered.head());
    assertEquals(snapshot, value(recovered::snapshot));
    assertEquals(new Json("\"hash\""), recovered.attribute("auth"));
    assertTrue(recovered.sealed());
    CatchUp.Tail tail = assertInstanceOf(CatchUp.Tail.class,
        value((Reply<CatchUp> r) -> recovered.catchUp(new Position("epoch-1", 1), r)));
    assertEquals(List.of(2L, 3L), tail.ops().stream().map(Op::seq).toList());
    assertEquals(List.of(new Outcome.Accepted(2, 2)),
        submit(recovered, A, proposal(2, 0, put("j", "2"))), "resend after restart: same ack");
  }

  @Test
  void trimmedHistoryIsGoneAfterRecoverySoAnOldPositionGetsASnapshot() {
    Engine before = engine();
    RoomHandle room = before.open("r", RoomConfig.DEFAULT.withRetention(100, Duration.ofMinutes(1)));
    submit(room, A, proposal(1, 0, put("k", "1")));
    clock.advance(Duration.ofMinutes(2));
    submit(room, A, proposal(2, 1, put("k", "2")));

    before.tick();

    assertInstanceOf(CatchUp.Snapshot.class,
        value((Reply<CatchUp> r) -> room.catchUp(new Position("epoch-1", 0), r)));
    Engine after = engine();
    after.recover();
    RoomHandle recovered = after.room("r");
    assertInstanceOf(CatchUp.Snapshot.class,
        value((Reply<CatchUp> r) -> recovered.catchUp(new Position("epoch-1", 0), r)));
    assertInstanceOf(CatchUp.Tail.class,
        value((Reply<CatchUp> r) -> recovered.catchUp(new Position("epoch-1", 1), r)));
  }

  @Test
  void leaderChangesAreToldToSubscribersAndListedByTheEngine() {
    Engine engine = engine();
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
    RecordingSubscriber s = new RecordingSubscriber("s");
    room.join(s, null, Reply.ignore());

    assertEquals(new Leadership.Granted(null), value((Reply<Leadership> r) -> room.claimLeader("a", r)));
    assertEquals(new Leadership.Granted("a"), value((Reply<Leadership> r) -> room.claimLeader("b", r)));
    assertEquals(Map.of("r", "b"), engine.leaders());
    assertEquals(false, value((Reply<Boolean> r) -> room.releaseLeader("a", r)));
    assertEquals(true, value((Reply<Boolean> r) -> room.releaseLeader("b", r)));

    assertEquals(List.of(
        new RoomEvent.LeaderChanged("r", "a", null),
        new RoomEvent.LeaderChanged("r", "b", "a"),
        new RoomEvent.LeaderChanged("r", null, "b")), s.events());
    assertNull(room.leader());
    assertEquals(Map.of(), engine.leaders());
  }

  @Test
  void deletingARoomClosesItsSubscribersAndRemovesItFromTheStore() {
    Engine engine = engine();
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
    RecordingSubscriber s = new RecordingSubscriber("s");
    room.join(s, null, Reply.ignore());
    CapturedReply<Void> deleted = new CapturedReply<>();

    engine.delete("r", deleted);

    assertTrue(deleted.isDone());
    assertEquals(List.of("deleted"), s.closes());
    assertNull(engine.room("r"));
    assertEquals(List.of(), store.recover(clock.millis()));
  }

  @Test
  void relaysStayInSeqOrderWhenAReplySubmitsTheNextChange() {
    RoomHandle room = engine().open("r", RoomConfig.DEFAULT);
    RecordingSubscriber s = new RecordingSubscriber("s");
    room.join(s, null, Reply.ignore());

    room.submit(A, Connections.of(A), List.of(proposal(1, 0, put("k", "1"))), (outcomes, failure) ->
        room.submit(A, Connections.of(A), List.of(proposal(2, 1, put("k", "2"))), Reply.ignore()));

    assertEquals(List.of(1L, 2L), s.relayedSeqs());
  }
}
