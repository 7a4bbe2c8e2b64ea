package dev.livestate.engine;

import static dev.livestate.testkit.Changes.json;
import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.Position;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.state.Entry;
import dev.livestate.store.Store;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Connections;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.HeldCommitStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A writer on a node that does not own the room (decisions 023, 024): its submits go to the
 * owner, which the test plays, and the owner's answers come back when the test says. What the
 * writer and a reader on this node are shown is written down in one timeline, so each test reads
 * as what they see: ops and acks in seq order, no op twice, none missing, no own op echoed.
 */
@Fast
class FollowerForwardingTest {
  private final HeldCommitStore store = new HeldCommitStore();
  private final OwnerPeers peers = new OwnerPeers();
  private final Fanout fanout = new Fanout("r", EngineListener.NONE);
  private final Follower follower = new Follower("r", RoomConfig.DEFAULT, store,
      Lanes.direct().laneOf("r"), new ManualClock(), fanout, peers, new Attributes(), p -> { },
      () -> { });
  /** What the subscribers here were handed and what the writers were answered, in order. */
  private final List<String> timeline = new ArrayList<>();

  /** The owner as the test plays it: requests handed to it wait for the test's answer. */
  private static final class OwnerPeers implements Peers {
    private record Asked(String owner, RoomRequest<?> request, Reply<?> reply) {}

    final List<Asked> asked = new ArrayList<>();
    Consumer<News> news;
    Reply<Void> ready;
    boolean cancelled;

    @Override
    public void committed(String room, String epoch, long from, long through) {
      // this node owns nothing here
    }

    @Override
    public void told(String room, Told told) {
      // this node owns nothing here
    }

    @Override
    public Following follow(String room, Consumer<News> news, Reply<Void> ready) {
      this.news = news;
      this.ready = ready;
      cancelled = false;
      return () -> cancelled = true;
    }

    @Override
    public <A> void forward(String owner, String room, RoomRequest<A> request, Reply<A> reply) {
      asked.add(new Asked(owner, request, reply));
    }

    @Override
    public void serve(Owner owner, Reply<Void> ready) {
      ready.done(null, null);
    }

    /** The reply to the oldest request of {@code type} handed over, which it takes. */
    @SuppressWarnings("unchecked")
    <A> Reply<A> take(Class<? extends RoomRequest<A>> type) {
      for (Iterator<Asked> i = asked.iterator(); i.hasNext(); ) {
        Asked a = i.next();
        if (type.isInstance(a.request())) {
          i.remove();
          return (Reply<A>) a.reply();
        }
      }
      throw new AssertionError("nothing of " + type.getSimpleName() + " was handed over");
    }

    /** Whether a request of {@code type} was handed over and not answered yet. */
    boolean holds(Class<?> type) {
      return asked.stream().anyMatch(a -> type.isInstance(a.request()));
    }

    void announce(String epoch, long from, long through) {
      news.accept(new Batch("a", epoch, from, through));
    }
  }

  FollowerForwardingTest() {
    store.committed().create("r", RoomConfig.DEFAULT, "e", Store.Commit.NONE);
    for (long seq = 1; seq <= 3; seq++) {
      commit("x", seq);
    }
    join("reader");
    join("w");
  }

  /** A subscriber here that writes what it is handed to the timeline. */
  private Subscriber seeing(String clientId) {
    return new Subscriber() {
      @Override
      public Origin.Client connection() {
        return Connections.of(clientId);
      }

      @Override
      public void deliver(Broadcast broadcast) {
        if (broadcast.event() instanceof RoomEvent.Relayed r) {
          r.ops().forEach(op -> timeline.add(clientId + " " + op.seq()));
        } else if (broadcast.event() instanceof RoomEvent.LeaderChanged l) {
          timeline.add(clientId + " led by " + l.leader());
        }
      }

      @Override
      public void closed(String room, RoomClosed reason) {
        timeline.add(clientId + " " + reason.wireName());
      }
    };
  }

  /** Joins a subscriber of {@code clientId}, following the room first if it must. */
  private CapturedReply<Joined> join(String clientId) {
    CapturedReply<Joined> joined = new CapturedReply<>();
    follower.join("a", seeing(clientId), null, joined);
    if (peers.ready != null) {
      peers.ready.done(null, null);
      peers.ready = null;
    }
    store.commitAll();
    return joined;
  }

  /** The owner commits op {@code seq} of {@code writer} to the shared store. */
  private void commit(String writer, long seq) {
    Op op = new Op(seq, writer, seq, 0, 0, put("k" + seq, Long.toString(seq)));
    store.committed().append("r", List.of(op), List.of(), Store.Commit.NONE);
  }

  private static RoomRequest.Submit changeBy(String clientId) {
    return new RoomRequest.Submit(Writer.of(clientId), List.of(proposal(1, 3, put("k", "1"))), 3);
  }

  /** {@code clientId} submits through its connection here, to a room node a owns. */
  private void submit(String clientId, Reply<List<Outcome>> reply) {
    follower.orForward(changeBy(clientId), Connections.of(clientId), true, reply)
        .done(null, new Ownership.NotOwner("r", "a"));
  }

  /** As {@link #submit(String, Reply)}, with the answer written to the timeline. */
  private void submit(String clientId) {
    submit(clientId, (outcomes, failure) -> timeline.add(clientId + " answered " + (failure != null
        ? failure.getMessage() : outcomes.stream().map(FollowerForwardingTest::shown)
            .collect(Collectors.joining(", ")))));
  }

  private static String shown(Outcome o) {
    return o instanceof Outcome.Accepted a ? "ack " + a.seq() : "rejected";
  }

  /** The owner answers the oldest submit handed to it. */
  private void ownerAnswers(Outcome... outcomes) {
    peers.take(RoomRequest.Submit.class).done(List.of(outcomes), null);
  }

  private static Outcome.Rejected conflict(long localSeq, long... winningSeqs) {
    Map<String, Entry> winners = new HashMap<>();
    for (long seq : winningSeqs) {
      winners.put("k" + seq, new Entry(json(Long.toString(seq)), seq, "x", 0));
    }
    return new Outcome.Rejected(localSeq, Rejection.CONFLICT, "conflict", winners);
  }

  @Test
  void anAckComesAfterTheOpsBeforeItsSeqAndBeforeTheOpsAfterIt() {
    submit("w");
    assertEquals("a", peers.asked.get(peers.asked.size() - 1).owner());
    commit("x", 4);
    commit("w", 5);
    commit("x", 6);
    ownerAnswers(new Outcome.Accepted(1, 5));
    assertEquals(List.of(), timeline, "the ack waits for ops 4 and 5");
    store.commitAll();
    assertEquals(List.of("reader 4", "w 4", "reader 5", "w answered ack 5", "reader 6", "w 6"),
        timeline);
  }

  @Test
  void aReadStopsBeforeAnOpOfAWriterHereUntilItsAnswerComes() {
    submit("w");
    commit("w", 4);
    commit("x", 5);
    peers.announce("e", 4, 5);
    store.commitAll();
    assertEquals(List.of(), timeline, "op 4 waits for its ack, op 5 for op 4");

    ownerAnswers(new Outcome.Accepted(1, 4));
    store.commitAll();
    assertEquals(List.of("reader 4", "w answered ack 4", "reader 5", "w 5"), timeline);
  }

  @Test
  void aSubmitTheOwnerDidNotDecideIsToBeSentAgainAndHoldsNoOpBack() {
    CapturedReply<List<Outcome>> answer = new CapturedReply<>();
    submit("w", answer);
    commit("w", 4); // decided, but its answer is lost
    commit("x", 5);
    peers.announce("e", 4, 5);
    store.commitAll();
    assertEquals(List.of(), timeline);

    peers.take(RoomRequest.Submit.class).done(null, new IOException("no answer in 5 s"));
    assertEquals("room r is served by node a, which did not decide the changes (no answer in 5 s):"
        + " send them again", answer.failure().getMessage());
    assertInstanceOf(IOException.class, answer.failure().getCause());
    store.commitAll();
    assertEquals(List.of("reader 4", "reader 5", "w 5"), timeline, "w's own op not sent back");
  }

  @Test
  void aWriterWithTwoSubmitsInFlightHasEachAckBetweenTheRightOps() {
    submit("w");
    submit("w");
    commit("w", 4);
    commit("w", 5);
    commit("x", 6);
    peers.announce("e", 4, 6);
    store.commitAll();
    assertEquals(List.of(), timeline);

    ownerAnswers(new Outcome.Accepted(1, 4));
    store.commitAll();
    assertEquals(List.of("reader 4", "w answered ack 4"), timeline, "op 5 waits for its ack");

    ownerAnswers(new Outcome.Accepted(1, 5));
    store.commitAll();
    assertEquals(List.of("reader 4", "w answered ack 4", "reader 5", "w answered ack 5",
        "reader 6", "w 6"), timeline);

    commit("w", 7); // with no submit in flight, w's next op is not held
    peers.announce("e", 7, 7);
    store.commitAll();
    assertEquals("reader 7", timeline.get(timeline.size() - 1));
  }

  @Test
  void aConflictIsAnsweredAfterTheLastWinningOp() {
    submit("w");
    commit("x", 4);
    commit("y", 5);
    commit("x", 6);
    commit("y", 7);
    ownerAnswers(conflict(1, 6, 4));
    store.commitAll();
    assertEquals(List.of("reader 4", "w 4", "reader 5", "w 5", "reader 6", "w 6",
        "w answered rejected", "reader 7", "w 7"), timeline);
  }

  @Test
  void anAnswerOfAckAndConflictComesAfterTheLastOpItNames() {
    submit("w");
    commit("x", 4);
    commit("w", 5);
    commit("x", 6);
    ownerAnswers(conflict(1, 4), new Outcome.Accepted(2, 5));
    store.commitAll();
    assertEquals(List.of("reader 4", "w 4", "reader 5", "w answered rejected, ack 5", "reader 6",
        "w 6"), timeline);
  }

  @Test
  void anAnswerNamingOnlyDeliveredOpsIsRelayedWithoutARead() {
    submit("w");
    ownerAnswers(conflict(1, 3));
    assertEquals(List.of("w answered rejected"), timeline);
    assertEquals(0, store.held());
  }

  @Test
  void aRequestServedForAnotherNodeIsNotHandedOnAgain() {
    Ownership.NotOwner notOwner = new Ownership.NotOwner("r", "a");
    CapturedReply<List<Outcome>> submitted = new CapturedReply<>();
    follower.orForward(changeBy("w"), new Origin.Peer("b"), false, submitted).done(null, notOwner);
    CapturedReply<Void> sealed = new CapturedReply<>();
    follower.orForward(new RoomRequest.Seal(), false, sealed).done(null, notOwner);
    assertSame(notOwner, submitted.failure());
    assertSame(notOwner, sealed.failure());
    assertFalse(peers.holds(RoomRequest.Submit.class));
    assertFalse(peers.holds(RoomRequest.Seal.class));
  }

  @Test
  void theOwnersAccountOfWhoLeadsIsAskedWhenFollowingStartsAndToldToJoins() {
    peers.take(RoomRequest.Company.class)
        .done(new Peers.Company(1, 2, 3, "x", Map.of("p", new Json("1"))), null);
    assertEquals(List.of("reader led by x", "w led by x"), timeline);
    Joined joined = join("late").value();
    assertEquals("x", joined.leader());
    assertEquals(Map.of("p", new Json("1")), joined.presence());
  }

  @Test
  void stoppingAnswersTheHeldAcksRefusesTheJoinsAndForgetsTheLeader() {
    peers.news.accept(new Peers.Told("a", 1, 1, 3, new RoomEvent.LeaderChanged("r", "x", null)));
    assertEquals("x", follower.leader());
    submit("w");
    commit("w", 4);
    ownerAnswers(new Outcome.Accepted(1, 4)); // and the read it waits for is under way
    CapturedReply<Joined> late = new CapturedReply<>();
    follower.join("a", seeing("late"), null, late);

    follower.stop();
    assertEquals(List.of("reader led by x", "w led by x", "w answered ack 4"), timeline);
    assertEquals("room r moved while joining; join again", late.failure().getMessage());
    assertNull(follower.leader());
    assertTrue(peers.cancelled);
    store.commitAll();
    assertEquals(3, timeline.size(), "nothing relayed after the stop");
  }

  @Test
  void anAnswerFromBeforeTheRoomWasMadeAnewLetsNoOpOfTheNewRoomThrough() {
    submit("w");
    commit("w", 4);
    ownerAnswers(new Outcome.Accepted(1, 4));
    fanout.closeAll(RoomClosed.MOVED); // as the room does when this node takes it over
    follower.stop();
    store.commitAll();
    store.committed().create("r", RoomConfig.DEFAULT, "e2", Store.Commit.NONE);
    join("reader");
    timeline.clear();

    submit("w");
    for (long seq = 1; seq <= 3; seq++) {
      commit("x", seq);
    }
    commit("w", 4);
    peers.announce("e2", 1, 4);
    store.commitAll();
    assertEquals(List.of("reader 1", "reader 2", "reader 3"), timeline, "op 4 waits for its ack");
  }

  @Test
  void aCatchUpHereIsReadFromTheSharedStoreOrToldToRetryLater() {
    CapturedReply<CatchUp> caughtUp = new CapturedReply<>();
    follower.orRead(room -> room.catchUp(new Position("e", 2)), caughtUp)
        .done(null, new Ownership.NotOwner("r", "a"));
    store.commitAll();
    CatchUp.Tail tail = assertInstanceOf(CatchUp.Tail.class, caughtUp.value());
    assertEquals(List.of(3L), tail.ops().stream().map(Op::seq).toList());

    CapturedReply<CatchUp> failed = new CapturedReply<>();
    follower.orRead(room -> room.catchUp(null), failed)
        .done(null, new Ownership.NotOwner("r", "a"));
    store.failNext(new IOException("disk"));
    assertEquals("room r could not be read from its store; retry later",
        failed.failure().getMessage());
    assertInstanceOf(IOException.class, failed.failure().getCause());
  }

  @Test
  void readersMovedByARoomMadeAnewWithFewerOpsCanJoinItAgain() {
    store.committed().create("r", RoomConfig.DEFAULT, "e2", Store.Commit.NONE);
    commit("x", 1);
    peers.announce("e2", 1, 1);
    store.commitAll();
    assertEquals(List.of("reader moved", "w moved"), timeline);

    CapturedReply<Joined> again = join("reader");
    assertEquals(1, assertInstanceOf(CatchUp.Snapshot.class, again.value().catchUp()).head().seq());
    commit("x", 2);
    peers.announce("e2", 2, 2);
    store.commitAll();
    assertEquals(List.of("reader moved", "w moved", "reader 2"), timeline);
  }

  @Test
  void aRoomMadeAnewEndsTheWaitOfTheOldRoomsAcksAndTheirSeqsHoldNothingBack() {
    submit("w");
    commit("w", 4);
    ownerAnswers(new Outcome.Accepted(1, 4)); // the read it waits for finds a new room
    store.committed().create("r", RoomConfig.DEFAULT, "e2", Store.Commit.NONE);
    store.commitAll();
    assertEquals(List.of("reader moved", "w moved", "w answered ack 4"), timeline);

    join("reader");
    timeline.clear();
    submit("w");
    for (long seq = 1; seq <= 3; seq++) {
      commit("x", seq);
    }
    commit("w", 4);
    peers.announce("e2", 1, 4);
    store.commitAll();
    assertEquals(List.of("reader 1", "reader 2", "reader 3"), timeline, "op 4 waits for its ack");
  }
}
