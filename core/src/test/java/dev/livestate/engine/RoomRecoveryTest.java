package dev.livestate.engine;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Json;
import dev.livestate.room.Position;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Connections;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.HeldCommitStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nothing is answered before its write commits, the room's creation included; a room whose
 * store failed refuses requests while the store fails and comes back from the store by itself
 * once it works (decision 006).
 */
@Fast
class RoomRecoveryTest {
  private static final Writer A = Writer.of("a");
  private static final IllegalStateException DISK_FULL = new IllegalStateException("disk full");

  private final HeldCommitStore store = new HeldCommitStore();
  private final ManualClock clock = new ManualClock();
  private final Engine engine =
      new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1");

  private CapturedReply<List<Outcome>> submit(RoomHandle room, long localSeq, String value) {
    CapturedReply<List<Outcome>> reply = new CapturedReply<>();
    room.submit(A, Connections.of(A), List.of(proposal(localSeq, 0, put("k", value))), reply);
    return reply;
  }

  /** A room with op 1 committed, then op 2 failed with the disk full. */
  private RoomHandle failedRoom() {
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
    submit(room, 1, "\"kept\"");
    store.commitAll();
    submit(room, 2, "\"lost\"");
    store.failNext(DISK_FULL);
    return room;
  }

  /** The engine's periodic probe of the failing store commits. */
  private void storeWorksAgain() {
    engine.tick();
    clock.advance(Duration.ofMillis(Engine.PROBE_INTERVAL_MILLIS));
    engine.tick();
    assertEquals(List.of("probe"), store.heldWrites());
    store.commitAll();
  }

  private static CatchUp.Snapshot snapshot(RoomHandle room) {
    CapturedReply<CatchUp.Snapshot> reply = new CapturedReply<>();
    room.snapshot(reply);
    return reply.value();
  }

  @Test
  void aFailedCreationFailsTheRoomsFirstRequestsInsteadOfAckingThem() {
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
    CapturedReply<List<Outcome>> write = submit(room, 1, "1");
    CapturedReply<StreamMessage> message = new CapturedReply<>();
    room.publish(5, new Json("{}"), message);
    CapturedReply<Void> created = new CapturedReply<>();
    room.whenCommitted(created);

    store.failNext(DISK_FULL);

    assertNotNull(write.failure(), "the write waited for the creation, and fails with it");
    assertNotNull(message.failure());
    assertNotNull(created.failure(), "nobody is told the room exists");
    assertEquals(1, write.calls());
  }

  @Test
  void aRoomWhoseCreationFailedIsForgottenAtOnceAndCanBeCreatedAgain() {
    RoomHandle first = engine.open("r", RoomConfig.DEFAULT);
    CapturedReply<List<Outcome>> write = submit(first, 1, "1");
    store.failNext(DISK_FULL);
    store.commitAll();

    String why = write.failure().getMessage();
    assertTrue(why.contains("create it again"), why);
    assertNull(engine.room("r"), "the engine forgot it");
    assertNotNull(submit(first, 2, "2").failure(), "the old handle stays refused");
    RoomHandle again = engine.open("r", RoomConfig.DEFAULT);
    CapturedReply<List<Outcome>> retried = submit(again, 1, "1");
    store.commitAll();
    assertEquals(List.of(new Outcome.Accepted(1, 1)), retried.value());
  }

  @Test
  void aFailedRoomTheStoreTurnsOutNotToHoldIsForgotten() {
    RoomHandle room = failedRoom();
    store.committed().delete("r", failure -> { });
    storeWorksAgain();

    CapturedReply<List<Outcome>> write = submit(room, 3, "3");
    store.commitAll();

    assertTrue(write.failure().getMessage().contains("not in its store"));
    assertNull(engine.room("r"));
  }

  @Test
  void aFailedRoomRefusesRequestsWithoutWritingWhileItsStoreFails() {
    RoomHandle room = failedRoom();

    CapturedReply<List<Outcome>> write = submit(room, 3, "3");
    CapturedReply<CatchUp.Snapshot> read = new CapturedReply<>();
    room.snapshot(read);

    assertNotNull(write.failure());
    assertNotNull(read.failure());
    assertEquals(List.of(), store.heldWrites(), "neither written nor read");
    assertTrue(engine.storeFailing());
  }

  @Test
  void aProbeThatCommitsEndsTheFailingAndTheNextRequestReloadsTheRoomFromItsStore() {
    RoomHandle room = failedRoom();

    engine.tick();
    assertEquals(List.of(), store.heldWrites(), "not probed the moment it is seen failing");
    clock.advance(Duration.ofMillis(Engine.PROBE_INTERVAL_MILLIS - 1));
    engine.tick();
    assertEquals(List.of(), store.heldWrites());
    clock.advance(Duration.ofMillis(1));
    engine.tick();
    engine.tick();
    assertEquals(List.of("probe"), store.heldWrites(), "probed once, a while after");
    store.commitNext();
    assertFalse(engine.storeFailing());
    CapturedReply<List<Outcome>> write = submit(room, 3, "\"again\"");
    store.commitAll();

    assertEquals(List.of(new Outcome.Accepted(3, 2)), write.value(),
        "seq 2 again: the failed op never happened");
    assertEquals(new Json("\"again\""), snapshot(room).values().get("k"));
  }

  @Test
  void aProbeThatFailsIsTriedAgainAnIntervalLaterAndNeverTwiceAtOnce() {
    failedRoom();
    engine.tick();
    clock.advance(Duration.ofMillis(Engine.PROBE_INTERVAL_MILLIS));
    engine.tick();
    store.failNext(DISK_FULL);
    assertTrue(engine.storeFailing());

    engine.tick();
    assertEquals(List.of(), store.heldWrites(), "not again at once");
    clock.advance(Duration.ofMillis(Engine.PROBE_INTERVAL_MILLIS));
    engine.tick();
    clock.advance(Duration.ofMillis(Engine.PROBE_INTERVAL_MILLIS));
    engine.tick();
    assertEquals(List.of("probe"), store.heldWrites(), "one at a time, however slow");
    store.commitAll();
    assertFalse(engine.storeFailing());
  }

  @Test
  void requestsDuringAReloadWaitForItAndAreServedInTheirOrder() {
    RoomHandle room = failedRoom();
    storeWorksAgain();

    CapturedReply<List<Outcome>> first = submit(room, 3, "3");
    CapturedReply<List<Outcome>> second = submit(room, 4, "4");
    assertEquals(List.of("load r"), store.heldWrites());
    assertFalse(first.isDone());
    assertFalse(second.isDone());
    store.commitAll();

    assertEquals(List.of(new Outcome.Accepted(3, 2)), first.value());
    assertEquals(List.of(new Outcome.Accepted(4, 3)), second.value());
  }

  @Test
  void aReloadThatFailsLeavesTheRoomFailedAndTheNextRequestTriesAgain() {
    RoomHandle room = failedRoom();
    storeWorksAgain();

    CapturedReply<List<Outcome>> during = submit(room, 3, "3");
    store.refuseNext(new IllegalStateException("the database went away"));
    assertNotNull(during.failure());

    CapturedReply<List<Outcome>> after = submit(room, 4, "4");
    store.commitAll();
    assertEquals(List.of(new Outcome.Accepted(4, 2)), after.value());
  }

  @Test
  void aRoomFailedByAWriteRefusedAloneReloadsOnItsNextRequest() {
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
    store.commitAll();
    submit(room, 1, "1");
    store.refuseNext(new IllegalStateException("key too long"));
    assertFalse(engine.storeFailing());

    CapturedReply<List<Outcome>> next = submit(room, 2, "2");
    store.commitAll();

    assertEquals(List.of(new Outcome.Accepted(2, 1)), next.value());
  }

  @Test
  void subscribersDroppedByTheFailureCanJoinTheReloadedRoom() {
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
    store.commitAll();
    RecordingSubscriber b = new RecordingSubscriber("b");
    room.join(b, null, ignored());
    submit(room, 1, "1");
    store.failNext(DISK_FULL);
    assertEquals(List.of("store_failed"), b.closes());
    storeWorksAgain();

    RecordingSubscriber again = new RecordingSubscriber("b");
    CapturedReply<Joined> joined = new CapturedReply<>();
    room.join(again, null, joined);
    store.commitAll();
    submit(room, 2, "2");
    store.commitAll();

    assertEquals(0, joined.value().catchUp().head().seq());
    assertEquals(List.of(1L), again.relayedSeqs());
    assertSame(room, engine.room("r"), "the same room, reloaded");
  }

  private static <T> Reply<T> ignored() {
    return Reply.ignore();
  }

  @Test
  void aRoomIsAnsweredCreatedOnceItsCreationCommits() {
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
    CapturedReply<Void> created = new CapturedReply<>();
    room.whenCommitted(created);
    assertFalse(created.isDone());

    store.commitAll();

    assertEquals(1, created.calls());
    assertNull(created.failure());
  }

  @Test
  void aReloadedRoomHoldsTheStoresAttributesNotWhatFailedToBeWritten() {
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
    room.putAttribute("kept", new Json("1"), new CapturedReply<>());
    store.commitAll();
    room.putAttribute("lost", new Json("2"), new CapturedReply<>());
    store.failNext(DISK_FULL);
    storeWorksAgain();

    room.snapshot(new CapturedReply<>());
    store.commitAll();

    assertEquals(new Json("1"), room.attribute("kept"));
    assertNull(room.attribute("lost"));
  }

  @Test
  void aLeaderOnItsLeaseLosesTheRoomWhenTheRoomIsReloaded() {
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
    store.commitAll();
    room.claimLeader("a", new CapturedReply<>());
    CapturedReply<Boolean> lease = new CapturedReply<>();
    room.leaderLeft("a", Duration.ofMinutes(1), lease);
    submit(room, 1, "1");
    store.failNext(DISK_FULL);
    storeWorksAgain();

    room.snapshot(new CapturedReply<>());
    store.commitAll();

    assertEquals(Boolean.TRUE, lease.value(), "told it lost the room");
    assertNull(room.leader());
  }

  @Test
  void aFailedRoomTrimsNothingFromItsStore() {
    RoomHandle room =
        engine.open("r", RoomConfig.DEFAULT.withRetention(100, Duration.ofMinutes(1)));
    submit(room, 1, "1");
    store.commitAll();
    submit(room, 2, "2");
    store.failNext(DISK_FULL);
    clock.advance(Duration.ofMinutes(2));
    engine.tick();
    clock.advance(Duration.ofMillis(Engine.PROBE_INTERVAL_MILLIS));
    engine.tick();
    store.commitAll();

    CapturedReply<CatchUp> fromStart = new CapturedReply<>();
    room.catchUp(new Position("e1", 0), fromStart);
    store.commitAll();

    assertEquals(List.of(1L), assertInstanceOf(CatchUp.Tail.class, fromStart.value()).ops()
        .stream().map(op -> op.seq()).toList(), "op 1 aged, but the failed room did not trim");
  }

  @Test
  void theEngineTellsItsListenerOfARoomItForgets() {
    List<String> deleted = new ArrayList<>();
    Engine told = new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1",
        new EngineListener() {
          @Override
          public void roomDeleted(String room) {
            deleted.add(room);
          }
        });
    told.open("r", RoomConfig.DEFAULT);

    store.failNext(DISK_FULL);

    assertEquals(List.of("r"), deleted);
    assertNull(told.room("r"));
  }
}
