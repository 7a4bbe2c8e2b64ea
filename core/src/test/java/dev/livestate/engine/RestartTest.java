package dev.livestate.engine;

import dev.livestate.testkit.Connections;
import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static dev.livestate.testkit.Changes.puts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import dev.livestate.room.Leadership;
import dev.livestate.room.Position;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a room keeps across a restart: a new engine recovering the same store. */
@Fast
class RestartTest {
  private static final Writer A = Writer.of("a");

  private final ManualClock clock = new ManualClock();
  private final MemoryStore store = new MemoryStore();

  private Engine engine() {
    return new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1");
  }

  private Engine restarted(Engine before) {
    before.close();
    Engine after = engine();
    after.recover();
    return after;
  }

  private static List<Outcome> submit(RoomHandle room, Writer w, Proposal... proposals) {
    CapturedReply<List<Outcome>> reply = new CapturedReply<>();
    room.submit(w, Connections.of(w), List.of(proposals), reply);
    return reply.value();
  }

  private static CatchUp catchUp(RoomHandle room, long seq) {
    CapturedReply<CatchUp> reply = new CapturedReply<>();
    room.catchUp(new Position("e1", seq), reply);
    return reply.value();
  }

  @Test
  void keysKeepTheirOrderAndJsonNullStaysAValueAfterARestart() {
    Engine before = engine();
    RoomHandle room = before.open("r", RoomConfig.DEFAULT);
    submit(room, A, proposal(1, 0, puts("zeta", "1", "alpha", "null", "omega", "3", "mid", "4")));
    submit(room, A, proposal(2, 1, puts("omega", null, "beta", "null")));

    RoomHandle recovered = restarted(before).room("r");

    CapturedReply<CatchUp.Snapshot> snapshot = new CapturedReply<>();
    recovered.snapshot(snapshot);
    Map<String, Json> expected = new LinkedHashMap<>();
    expected.put("zeta", new Json("1"));
    expected.put("alpha", Json.NULL);
    expected.put("mid", new Json("4"));
    expected.put("beta", Json.NULL);
    assertEquals(List.copyOf(expected.entrySet()),
        List.copyOf(snapshot.value().values().entrySet()), "every key, in order");
    Map<String, Json> tail = assertInstanceOf(CatchUp.Tail.class, catchUp(recovered, 1))
        .ops().get(0).change().values();
    assertTrue(tail.containsKey("omega") && tail.get("omega") == null, "a delete");
    assertEquals(Json.NULL, tail.get("beta"), "a value");
  }

  @Test
  void sealedRoomStaysSealedAfterARestart() {
    Engine before = engine();
    RoomHandle room = before.open("meet", RoomConfig.DEFAULT);
    submit(room, A, proposal(1, 0, put("k", "1")));
    room.seal(new CapturedReply<>());

    RoomHandle recovered = restarted(before).room("meet");

    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class,
        submit(recovered, A, proposal(2, 1, put("k", "2"))).get(0));
    assertEquals(Rejection.SEALED, r.reason());
    assertEquals("sealed", r.reason().code());
    assertEquals(1, recovered.head().seq(), "the write took no seq");
    CapturedReply<Joined> joined = new CapturedReply<>();
    recovered.join(new RecordingSubscriber("b"), null, joined);
    assertTrue(joined.value().sealed());
    assertTrue(recovered.sealed());
  }

  @Test
  void roomThatWasNeverSealedTakesWritesAfterARestart() {
    Engine before = engine();
    RoomHandle room = before.open("r", RoomConfig.DEFAULT);
    room.putAttribute("auth", new Json("\"x\""), new CapturedReply<>());

    RoomHandle recovered = restarted(before).room("r");

    assertEquals(false, recovered.sealed());
    assertEquals(List.of(new Outcome.Accepted(1, 1)),
        submit(recovered, A, proposal(1, 0, put("k", "1"))));
  }

  @Test
  void streamMessagesSurviveARestartAndNewOnesAreNumberedAfterThem() {
    Engine before = engine();
    RoomHandle room = before.open("r", RoomConfig.DEFAULT);
    CapturedReply<StreamMessage> first = new CapturedReply<>();
    room.publish(1_000, new Json("\"one\""), first);

    RoomHandle recovered = restarted(before).room("r");
    CapturedReply<StreamMessage> second = new CapturedReply<>();
    recovered.publish(2_000, new Json("\"two\""), second);
    CapturedReply<List<StreamMessage>> read = new CapturedReply<>();
    recovered.readStream(0, 10_000, read);

    assertEquals(List.of(first.value(), second.value()), read.value());
    assertEquals(first.value().id() + 1, second.value().id());
  }

  @Test
  void historyThatAgesAfterARestartIsTrimmedFromTheStoreToo() {
    Engine before = engine();
    RoomHandle room = before.open("r", RoomConfig.DEFAULT.withRetention(100, Duration.ofMinutes(1)));
    submit(room, A, proposal(1, 0, put("k", "1")));
    clock.advance(Duration.ofSeconds(30));
    submit(room, A, proposal(2, 1, put("k", "2")));
    Engine second = restarted(before);
    assertInstanceOf(CatchUp.Tail.class, catchUp(second.room("r"), 0), "nothing aged yet");

    clock.advance(Duration.ofSeconds(45));
    second.tick();

    assertInstanceOf(CatchUp.Snapshot.class, catchUp(second.room("r"), 0), "seq 1 aged");
    RoomHandle third = restarted(second).room("r");
    assertInstanceOf(CatchUp.Snapshot.class, catchUp(third, 0), "and it is gone from the store");
    assertInstanceOf(CatchUp.Tail.class, catchUp(third, 1));
  }

  @Test
  void roomRecoveredWithNoHistoryLeftStillTrimsWhatItAddsLater() {
    Engine before = engine();
    RoomHandle room = before.open("r", RoomConfig.DEFAULT.withRetention(100, Duration.ofMinutes(1)));
    submit(room, A, proposal(1, 0, put("k", "1")));
    clock.advance(Duration.ofMinutes(2));
    before.tick();
    Engine second = restarted(before);
    submit(second.room("r"), A, proposal(2, 1, put("k", "2")));

    clock.advance(Duration.ofMinutes(2));
    second.tick();

    RoomHandle third = restarted(second).room("r");
    assertEquals(new Position("e1", 2), third.head());
    assertInstanceOf(CatchUp.Snapshot.class, catchUp(third, 1), "seq 2 aged and was trimmed");
    assertEquals(List.of(), assertInstanceOf(CatchUp.Tail.class, catchUp(third, 2)).ops());
  }

  @Test
  void aResendAfterARestartInARoomKeepingFiveOpsGetsItsOriginalAckAndIsNotApplied() {
    Engine before = engine();
    RoomHandle room = before.open("r", RoomConfig.DEFAULT.withRetention(5, Duration.ZERO));
    for (long localSeq = 1; localSeq <= 20; localSeq++) {
      submit(room, A, proposal(localSeq, localSeq - 1, put("k" + localSeq, "1")));
    }

    RoomHandle recovered = restarted(before).room("r");

    assertEquals(List.of(new Outcome.Accepted(1, 1)),
        submit(recovered, A, proposal(1, 0, put("k1", "2"))), "its op was trimmed long ago");
    assertEquals(20, recovered.head().seq(), "not applied again");
  }

  @Test
  void aRefusalResentAfterARestartGetsTheSameRefusal() {
    Engine before = engine();
    RoomHandle room = before.open("r", RoomConfig.DEFAULT);
    CapturedReply<Leadership> lead = new CapturedReply<>();
    room.claimLeader("leader", lead);
    Outcome refused = submit(room, A, proposal(1, 0, put("k", "1"))).get(0);

    RoomHandle recovered = restarted(before).room("r");

    Outcome.Rejected again = assertInstanceOf(Outcome.Rejected.class,
        submit(recovered, A, proposal(1, 0, put("k", "1"))).get(0));
    assertEquals(Rejection.NOT_LEADER, again.reason(), "although nobody leads after a restart");
    assertEquals(((Outcome.Rejected) refused).message(), again.message());
    assertEquals(0, recovered.head().seq());
  }
}
