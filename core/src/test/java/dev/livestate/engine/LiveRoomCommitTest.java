package dev.livestate.engine;

import dev.livestate.testkit.Connections;
import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.op.Proposal;
import dev.livestate.room.Position;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.HeldCommitStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A room over a store whose commits the test releases: nothing a write could reveal leaves the
 * room before that write commits.
 */
@Fast
class LiveRoomCommitTest {
  private static final Writer A = Writer.of("a");
  private static final Writer B = Writer.of("b");

  private final ManualClock clock = new ManualClock();
  private final HeldCommitStore store = new HeldCommitStore();
  private Engine engine;
  private RoomHandle room;

  @BeforeEach
  void open() {
    engine = new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1");
    room = engine.open("r", RoomConfig.DEFAULT.withPolicy(ConflictPolicy.FIRST_WRITER_WINS));
    store.commitAll();
  }

  private CapturedReply<List<Outcome>> submit(Writer w, Proposal... proposals) {
    CapturedReply<List<Outcome>> reply = new CapturedReply<>();
    room.submit(w, Connections.of(w), List.of(proposals), reply);
    return reply;
  }

  private RecordingSubscriber join(String clientId, Position since, CapturedReply<Joined> reply) {
    RecordingSubscriber s = new RecordingSubscriber(clientId);
    room.join(s, since, reply);
    return s;
  }

  private RecordingSubscriber joined(String clientId) {
    CapturedReply<Joined> reply = new CapturedReply<>();
    RecordingSubscriber s = join(clientId, null, reply);
    assertTrue(reply.isDone());
    return s;
  }

  @Test
  void ackAndRelayWaitForTheCommit() {
    RecordingSubscriber b = joined("b");

    CapturedReply<List<Outcome>> ack = submit(A, proposal(1, 0, put("k", "1")));

    assertFalse(ack.isDone());
    assertTrue(b.events().isEmpty());
    assertEquals(new Position("e1", 1), room.head(), "decided at once, for the next decision");
    assertEquals(List.of("append r [1]"), store.heldWrites());

    store.commitNext();

    assertEquals(List.of(new Outcome.Accepted(1, 1)), ack.value());
    assertEquals(List.of(1L), b.relayedSeqs());
  }

  @Test
  void eachCommitReleasesOnlyWhatItCovers() {
    RecordingSubscriber c = joined("c");
    CapturedReply<List<Outcome>> first = submit(A, proposal(1, 0, put("a", "1")));
    CapturedReply<List<Outcome>> second = submit(B, proposal(1, 0, put("b", "1")));

    store.commitNext();

    assertTrue(first.isDone());
    assertFalse(second.isDone());
    assertEquals(List.of(1L), c.relayedSeqs());

    store.commitNext();

    assertEquals(List.of(new Outcome.Accepted(1, 2)), second.value());
    assertEquals(List.of(1L, 2L), c.relayedSeqs());
  }

  @Test
  void rejectionNamingAnUncommittedWinnerWaitsForThatCommit() {
    submit(A, proposal(1, 0, put("k", "1")));

    CapturedReply<List<Outcome>> rejected = submit(B, proposal(1, 0, put("k", "2")));

    assertFalse(rejected.isDone(), "its winner (seq 1) could still be lost");
    assertEquals(List.of("append r [1]", "append r []"), store.heldWrites(),
        "the rejection is recorded in the ledger, behind the winner");
    store.commitNext();
    assertFalse(rejected.isDone(), "nor before its own record commits");
    store.commitNext();
    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, rejected.value().get(0));
    assertEquals(Rejection.CONFLICT, r.reason());
    assertEquals(1, r.winners().get("k").seq());
  }

  @Test
  void resendBeforeTheCommitIsAnsweredWithTheSameAckAfterItAndRelayedOnce() {
    RecordingSubscriber b = joined("b");
    CapturedReply<List<Outcome>> original = submit(A, proposal(1, 0, put("k", "1")));

    CapturedReply<List<Outcome>> resend = submit(A, proposal(1, 0, put("k", "1")));

    assertFalse(resend.isDone());
    assertEquals(1, store.held());
    store.commitAll();
    assertEquals(original.value(), resend.value());
    assertEquals(List.of(1L), b.relayedSeqs());
  }

  @Test
  void joinerWhileCommitsArePendingGetsSnapshotThenTailWithNoGapAndNoDuplicate() {
    submit(A, proposal(1, 0, put("k1", "1")));
    store.commitNext();
    submit(A, proposal(2, 1, put("k2", "2")));

    CapturedReply<Joined> fresh = new CapturedReply<>();
    RecordingSubscriber c = join("c", null, fresh);
    CapturedReply<Joined> behind = new CapturedReply<>();
    RecordingSubscriber d = join("d", new Position("e1", 0), behind);
    submit(A, proposal(3, 2, put("k3", "3")));

    assertFalse(fresh.isDone(), "its snapshot holds seq 2, not yet committed");
    store.commitNext();
    CatchUp.Snapshot s = assertInstanceOf(CatchUp.Snapshot.class, fresh.value().catchUp());
    assertEquals(new Position("e1", 2), s.head());
    assertEquals(Map.of("k1", new Json("1"), "k2", new Json("2")), s.values());
    CatchUp.Tail t = assertInstanceOf(CatchUp.Tail.class, behind.value().catchUp());
    assertEquals(List.of(1L, 2L), t.ops().stream().map(Op::seq).toList());
    assertTrue(c.events().isEmpty() && d.events().isEmpty());

    store.commitNext();

    assertEquals(List.of(3L), c.relayedSeqs());
    assertEquals(List.of(3L), d.relayedSeqs());
  }

  @Test
  void joinReplyComesBeforeAnyEventTheJoinerIsSent() {
    submit(A, proposal(1, 0, put("k", "1")));
    List<Integer> eventsAtReply = new ArrayList<>();
    RecordingSubscriber[] c = new RecordingSubscriber[1];
    c[0] = new RecordingSubscriber("c");
    room.join(c[0], new Position("e1", 0), (joined, failure) -> {
      eventsAtReply.add(c[0].events().size());
    });
    submit(B, proposal(1, 1, put("j", "1")));

    store.commitAll();

    assertEquals(List.of(0), eventsAtReply);
    assertEquals(List.of(2L), c[0].relayedSeqs());
  }

  @Test
  void leavingWhileTheJoinWaitsForACommitLeavesNoSubscriptionBehind() {
    submit(A, proposal(1, 0, put("k", "1")));
    CapturedReply<Joined> joining = new CapturedReply<>();
    RecordingSubscriber c = join("c", null, joining);

    room.leave(c);
    store.commitAll();
    submit(A, proposal(2, 1, put("k", "2")));
    store.commitAll();

    assertEquals(0, room.subscriberCount());
    assertTrue(c.events().isEmpty(), "a connection that left is sent nothing");
  }

  @Test
  void everySubscriberGetsEveryOtherWritersOpsOnceInSeqOrder() {
    RecordingSubscriber watcher = joined("w");
    RecordingSubscriber a = joined("a");
    RecordingSubscriber b = joined("b");
    List<Long> aSeqs = new ArrayList<>();
    List<Long> bSeqs = new ArrayList<>();

    for (int i = 1; i <= 20; i++) {
      Writer w = i % 3 == 0 ? B : A;
      int localSeq = i;
      submit(w, proposal(localSeq, 0, put(w.clientId() + i, "1")),
          proposal(localSeq + 1000, 0, put(w.clientId() + i + "x", "1")));
      (w == A ? aSeqs : bSeqs).addAll(List.of(room.head().seq() - 1, room.head().seq()));
      if (i % 4 == 0) {
        store.commitAll();
      }
    }
    store.commitAll();

    assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(), watcher.relayedSeqs());
    assertEquals(bSeqs, a.relayedSeqs(), "a hears only b's ops");
    assertEquals(aSeqs, b.relayedSeqs(), "b hears only a's ops");
  }

  @Test
  void writersOwnOpsAreRelayedBackOnlyToAnEchoSubscriber() {
    RecordingSubscriber quiet = joined("a");
    RecordingSubscriber echo = new RecordingSubscriber("a", true);
    room.join(echo, null, Reply.ignore());

    submit(A, proposal(1, 0, put("k", "1")));
    store.commitAll();

    assertTrue(quiet.relayedOps().isEmpty());
    assertEquals(List.of(1L), echo.relayedSeqs());
  }

  @Test
  void storeFailureFailsTheRoomClosesSubscribersAndAnswersWaitingRequests() {
    RecordingSubscriber b = joined("b");
    CapturedReply<List<Outcome>> doomed = submit(A, proposal(1, 0, put("k", "1")));
    CapturedReply<List<Outcome>> behind = submit(B, proposal(1, 0, put("j", "1")));
    CapturedReply<CatchUp> catchUp = new CapturedReply<>();
    room.catchUp(new Position("e1", 0), catchUp);

    store.failNext(new IllegalStateException("disk full"));

    assertEquals(List.of("store_failed"), b.closes());
    assertTrue(b.relayedOps().isEmpty());
    assertNotNull(doomed.failure(), "the writer learns its change was not stored");
    assertNotNull(behind.failure());
    assertNotNull(catchUp.failure());
    assertEquals(0, room.subscriberCount());

    CapturedReply<List<Outcome>> whileFailing = submit(A, proposal(2, 0, put("k", "2")));
    assertInstanceOf(IllegalStateException.class, whileFailing.failure());
    assertEquals(List.of("append r [2]"), store.heldWrites(), "nothing new is written");
    store.commitAll();
    CapturedReply<List<Outcome>> later = submit(A, proposal(3, 0, put("k", "3")));
    store.commitAll();
    assertEquals(List.of(new Outcome.Accepted(3, 1)), later.value(),
        "once the store works the room goes on from what it holds: the failed op never was");
    assertEquals(1, doomed.calls());
    assertEquals(1, behind.calls());
    assertTrue(b.relayedOps().isEmpty(), "nothing decided after the failure is relayed");
  }

  @Test
  void replyThatThrowsCostsNobodyElseTheirRelayOrTheirAck() {
    RecordingSubscriber c = joined("c");
    room.submit(A, Connections.of(A), List.of(proposal(1, 0, put("k", "1"))), (outcomes, failure) -> {
      throw new IllegalStateException("a broken connection");
    });
    CapturedReply<List<Outcome>> next = submit(B, proposal(1, 1, put("j", "1")));

    store.commitAll();

    assertEquals(List.of(1L, 2L), c.relayedSeqs());
    assertEquals(List.of(new Outcome.Accepted(1, 2)), next.value());
  }

  @Test
  void everyAckedOpSurvivesACrashAndNoUnackedOneIsEverSeen() {
    CapturedReply<List<Outcome>> acked = submit(A, proposal(1, 0, put("k", "1")));
    store.commitNext();
    CapturedReply<List<Outcome>> inFlight = submit(A, proposal(2, 1, put("k", "2")));

    Engine restarted = new Engine(clock, Lanes.direct(),
        Stores.of(store.committed(), store.committed()), () -> "other");
    restarted.recover();
    RoomHandle after = restarted.room("r");

    assertTrue(acked.isDone());
    assertFalse(inFlight.isDone());
    assertEquals(new Position("e1", 1), after.head());
    CapturedReply<CatchUp.Snapshot> s = new CapturedReply<>();
    after.snapshot(s);
    assertEquals(Map.of("k", new Json("1")), s.value().values());
  }

  @Test
  void sealIsToldAfterItsCommitAndLaterWritesAreRejected() {
    RecordingSubscriber b = joined("b");
    CapturedReply<Void> sealed = new CapturedReply<>();

    room.seal(sealed);

    assertTrue(room.sealed());
    assertFalse(sealed.isDone());
    assertTrue(b.events().isEmpty());
    store.commitAll();
    assertTrue(sealed.isDone());
    assertEquals(List.of(new RoomEvent.Sealed("r")), b.events());
    CapturedReply<List<Outcome>> refused = submit(A, proposal(1, 0, put("k", "1")));
    store.commitAll();
    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, refused.value().get(0));
    assertEquals(Rejection.SEALED, r.reason());
  }
}
