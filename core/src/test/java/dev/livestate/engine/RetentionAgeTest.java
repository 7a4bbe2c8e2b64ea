package dev.livestate.engine;

import dev.livestate.testkit.Connections;
import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.op.Proposal;
import dev.livestate.room.Position;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** History kept for catch-up by age ({@code retainSeconds}), trimmed by {@link Engine#tick()}. */
@Fast
class RetentionAgeTest {
  private static final Writer A = Writer.of("a");

  private final ManualClock clock = new ManualClock();
  private final MemoryStore store = new MemoryStore();
  private final Engine engine =
      new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1");
  private RoomHandle room;

  @BeforeEach
  void open() {
    room = engine.open("r", RoomConfig.DEFAULT.withRetention(100, Duration.ofMinutes(1)));
  }

  private List<Outcome> submit(Proposal... proposals) {
    CapturedReply<List<Outcome>> reply = new CapturedReply<>();
    room.submit(A, Connections.of(A), List.of(proposals), reply);
    return reply.value();
  }

  private CatchUp catchUp(long seq) {
    CapturedReply<CatchUp> reply = new CapturedReply<>();
    room.catchUp(new Position("e1", seq), reply);
    return reply.value();
  }

  @Test
  void roomWhoseWholeHistoryAgedTicksTrimsAndAnswersAnOldPositionWithASnapshot() {
    submit(proposal(1, 0, put("k", "1")), proposal(2, 0, put("j", "2")));
    clock.advance(Duration.ofMinutes(5));

    engine.tick();
    engine.tick();

    CatchUp.Snapshot s = assertInstanceOf(CatchUp.Snapshot.class, catchUp(0));
    assertEquals(new Position("e1", 2), s.head());
    assertEquals(Map.of("k", new Json("1"), "j", new Json("2")), s.values());
    assertEquals(List.of(), assertInstanceOf(CatchUp.Tail.class, catchUp(2)).ops(),
        "a client at the head is up to date");
    assertEquals(List.of(), store.recover(clock.millis()).get(0).recentOps(), "trimmed in store");
  }

  @Test
  void writesAfterTheWholeHistoryAgedAreAcceptedAndServedAsATail() {
    submit(proposal(1, 0, put("k", "1")));
    clock.advance(Duration.ofMinutes(5));
    engine.tick();

    assertEquals(List.of(new Outcome.Accepted(2, 2)), submit(proposal(2, 1, put("k", "2"))));
    engine.tick();

    CatchUp.Tail t = assertInstanceOf(CatchUp.Tail.class, catchUp(1));
    assertEquals(List.of(2L), t.ops().stream().map(Op::seq).toList());
    assertInstanceOf(CatchUp.Snapshot.class, catchUp(0));
  }

  @Test
  void anOpExactlyAsOldAsTheRetentionAgeIsStillKept() {
    submit(proposal(1, 0, put("k", "1")));
    clock.advance(Duration.ofMinutes(1));

    engine.tick();

    assertEquals(List.of(1L),
        assertInstanceOf(CatchUp.Tail.class, catchUp(0)).ops().stream().map(Op::seq).toList());
    clock.advanceMillis(1);
    engine.tick();
    assertInstanceOf(CatchUp.Snapshot.class, catchUp(0));
  }
}
