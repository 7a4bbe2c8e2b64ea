package dev.livestate.engine;

import static dev.livestate.testkit.Changes.json;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Op;
import dev.livestate.room.Position;
import dev.livestate.room.RoomConfig;
import dev.livestate.state.Entry;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.HeldCommitStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A node relaying a room another node owns: the owner's announcements arrive through {@link
 * Peers} as the test hands them over, and every read of the shared store waits until the test
 * lets it commit, so each step of "catch-up, then live, no gap, no duplicate" can be checked.
 */
@Fast
class FollowerTest {
  private final ManualClock clock = new ManualClock();
  private final HeldCommitStore store = new HeldCommitStore();
  private final AnnouncingPeers peers = new AnnouncingPeers();
  private final Fanout fanout = new Fanout("r", EngineListener.NONE);
  /** How many times the follower said the owner deleted the room. */
  private final AtomicInteger deletions = new AtomicInteger();
  private final Follower follower = new Follower("r", RoomConfig.DEFAULT, store,
      Lanes.direct().laneOf("r"), clock, fanout, peers, new Attributes(), p -> { },
      deletions::incrementAndGet);
  private final RecordingSubscriber reader = new RecordingSubscriber("reader");

  /** The other nodes as the test plays them: it answers the follow and tells of batches. */
  private static final class AnnouncingPeers implements Peers {
    Consumer<News> batches;
    Reply<Void> ready;
    int follows;
    boolean cancelled;

    @Override
    public void committed(String room, String epoch, long from, long through) {
      // this node owns nothing here
    }

    @Override
    public Following follow(String room, Consumer<News> batches, Reply<Void> ready) {
      this.batches = batches;
      this.ready = ready;
      follows++;
      cancelled = false;
      return () -> cancelled = true;
    }

    @Override
    public <A> void forward(String owner, String room, RoomRequest<A> request, Reply<A> reply) {
      reply.done(null, new IllegalStateException("nothing is forwarded in these tests"));
    }

    @Override
    public void told(String room, Told told) {
      // this node owns nothing here
    }

    @Override
    public void serve(Owner owner, Reply<Void> ready) {
      ready.done(null, null);
    }

    void announce(String epoch, long from, long through) {
      batches.accept(new Batch("a", epoch, from, through));
    }
  }

  FollowerTest() {
    store.committed().create("r", RoomConfig.DEFAULT, "e", Store.Commit.NONE);
    commit("w", 1, 3);
  }

  /** The owner commits ops {@code from..to} of one writer to the shared store. */
  private void commit(String writer, long from, long to) {
    List<Op> ops = LongStream.rangeClosed(from, to)
        .mapToObj(s -> new Op(s, writer, s, 0, 0, put("k" + s, Long.toString(s)))).toList();
    store.committed().append("r", ops, List.of(), Store.Commit.NONE);
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  /** Joins {@code who}, answering a new follow and letting the reads commit. */
  private CapturedReply<Joined> joinAndRead(RecordingSubscriber who, Position since) {
    CapturedReply<Joined> joined = new CapturedReply<>();
    follower.join("a", who, since, joined);
    if (peers.ready != null) {
      peers.ready.done(null, null);
      peers.ready = null;
    }
    store.commitAll();
    return joined;
  }

  @Test
  void aJoinIsAnsweredOnlyOnceFollowingIsReadyAndThenGetsEachOpOnceInOrder() {
    CapturedReply<Joined> joined = new CapturedReply<>();
    follower.join("a", reader, null, joined);
    follower.poll();
    assertEquals(0, store.held(), "no read before the news are followed");
    assertFalse(joined.isDone());

    peers.ready.done(null, null);
    store.commitAll();
    CatchUp.Snapshot snapshot = assertInstanceOf(CatchUp.Snapshot.class, joined.value().catchUp());
    assertEquals(3, snapshot.head().seq());

    commit("w", 4, 6);
    peers.announce("e", 4, 6);
    store.commitAll();
    peers.announce("e", 4, 6);
    peers.announce("e", 5, 5);
    assertEquals(0, store.held(), "news of what was delivered need no read");
    assertEquals(seqs(4, 6), reader.relayedSeqs());
    assertEquals(1, peers.follows);
  }

  @Test
  void theOwnersDeletionOfTheRoomReadHereEndsTheFollowingButNotOfAnOlderRoomOfTheName() {
    joinAndRead(reader, null);

    peers.batches.accept(new Peers.Told("a", 1, 1, 3, new RoomEvent.Deleted("r", "older")));
    assertEquals(0, deletions.get(), "a room of that name deleted before this one was made");
    assertFalse(peers.cancelled);

    peers.batches.accept(new Peers.Told("a", 1, 2, 3, new RoomEvent.Deleted("r", "e")));
    assertEquals(1, deletions.get());
    assertTrue(peers.cancelled, "no longer followed");
    peers.batches.accept(new Peers.Told("a", 1, 3, 3, new RoomEvent.Deleted("r", "e")));
    assertEquals(1, deletions.get(), "told once it stopped following: nothing more to drop");
  }

  @Test
  void aDeletionToldBeforeTheFirstReadIsTheRoomsBeingFollowed() {
    follower.join("a", reader, null, new CapturedReply<>());

    peers.batches.accept(new Peers.Told("a", 1, 1, 0, new RoomEvent.Deleted("r", "any")));

    assertEquals(1, deletions.get(), "nothing read yet: no other room of the name to tell apart");
  }

  @Test
  void eachWritersRunIsRelayedAsOneEventFromTheOwner() {
    joinAndRead(reader, null);
    commit("w1", 4, 5);
    commit("w2", 6, 6);
    commit("w1", 7, 7);
    peers.announce("e", 4, 7);
    store.commitAll();

    List<RoomEvent.Relayed> events = reader.events(RoomEvent.Relayed.class);
    assertEquals(List.of("w1", "w2", "w1"), events.stream().map(RoomEvent.Relayed::writer).toList());
    assertEquals(List.of(2, 1, 1), events.stream().map(e -> e.ops().size()).toList());
    assertTrue(events.stream().allMatch(e -> e.origin().equals(new Origin.Peer("a"))));
  }

  @Test
  void opsWhoseAnnouncementWasLostArriveWithTheNextOrByPolling() {
    joinAndRead(reader, null);
    commit("w", 4, 5);
    commit("w", 6, 6);
    peers.announce("e", 6, 6);
    store.commitAll();
    assertEquals(seqs(4, 6), reader.relayedSeqs());

    commit("w", 7, 8);
    follower.poll();
    store.commitAll();
    assertEquals(seqs(4, 8), reader.relayedSeqs());
  }

  @Test
  void newsDuringARead_areReadAgainAfterIt() {
    joinAndRead(reader, null);
    commit("w", 4, 4);
    peers.announce("e", 4, 4);
    peers.announce("e", 4, 4);
    assertEquals(1, store.held(), "one read at a time");
    store.commitNext();
    assertEquals(1, store.held(), "the news that came during the read start another");
    store.commitNext();
    assertEquals(0, store.held());
    assertEquals(seqs(4, 4), reader.relayedSeqs());
  }

  @Test
  void readsThatDeliverAskOnlyForTheOpsAfterTheDeliveredOnesAndAJoinReadsTheWholeRoom() {
    joinAndRead(reader, null);
    commit("w", 4, 6);
    peers.announce("e", 4, 6);
    assertEquals(List.of("load r after 3"), store.heldWrites());
    store.commitAll();
    assertEquals(seqs(4, 6), reader.relayedSeqs());

    follower.poll();
    assertEquals(List.of("load r after 6"), store.heldWrites(), "the upkeep's read too");
    store.commitAll();

    CapturedReply<Joined> joined = new CapturedReply<>();
    follower.join("a", new RecordingSubscriber("late"), new Position("e", 4), joined);
    assertEquals(List.of("load r"), store.heldWrites(), "a join is answered from the room's state");
    store.commitAll();
    CatchUp.Tail tail = assertInstanceOf(CatchUp.Tail.class, joined.value().catchUp());
    assertEquals(List.of(5L, 6L), tail.ops().stream().map(Op::seq).toList());
  }

  /**
   * A client acked at seq 5 on the owner joins here from there while a read started before that
   * commit is still under way: that read shows the room at 3 and must not answer the join (a
   * snapshot behind what the client holds); the next read does, with the tail it missed.
   */
  @Test
  void aJoinIsAnsweredByAReadStartedAfterItNotByOneUnderWay() {
    joinAndRead(reader, null);
    follower.poll();
    Runnable staleRead = store.applyNextAnswerLater();
    commit("w", 4, 6);
    RecordingSubscriber late = new RecordingSubscriber("late");
    CapturedReply<Joined> joined = new CapturedReply<>();
    follower.join("a", late, new Position("e", 5), joined);
    staleRead.run();
    assertFalse(joined.isDone(), "the read under way began before the join came");

    store.commitAll();
    CatchUp.Tail tail = assertInstanceOf(CatchUp.Tail.class, joined.value().catchUp());
    assertEquals(List.of(6L), tail.ops().stream().map(Op::seq).toList());
    assertEquals(seqs(4, 6), reader.relayedSeqs());
    assertEquals(List.of(), late.relayedSeqs(), "what the tail held is not sent again");
  }

  @Test
  void whenTheLastReaderLeftTheNextNewsStopTheFollowingAndAJoinFollowsAnew() {
    joinAndRead(reader, null);
    fanout.remove(reader);
    follower.poll();
    assertEquals(0, store.held(), "nobody reads: no polling");

    commit("w", 4, 4);
    peers.announce("e", 4, 4);
    assertTrue(peers.cancelled);
    assertEquals(0, store.held());

    RecordingSubscriber again = new RecordingSubscriber("again");
    CapturedReply<Joined> joined = joinAndRead(again, new Position("e", 3));
    assertEquals(2, peers.follows);
    CatchUp.Tail tail = assertInstanceOf(CatchUp.Tail.class, joined.value().catchUp());
    assertEquals(seqs(4, 4), tail.ops().stream().map(Op::seq).toList());
  }

  @Test
  void stoppingRefusesWaitingJoinsAndCancelsTheFollowing() {
    CapturedReply<Joined> joined = new CapturedReply<>();
    follower.join("a", reader, null, joined);
    follower.stop();
    assertTrue(peers.cancelled);
    assertInstanceOf(IllegalStateException.class, joined.failure());
    assertTrue(joined.failure().getMessage().contains("join again"));

  }

  @Test
  void aFollowThatFailsRefusesTheJoinOnceAndTheNextJoinFollowsAgain() {
    CapturedReply<Joined> joined = new CapturedReply<>();
    follower.join("a", reader, null, joined);
    peers.ready.done(null, new IOException("bus down"));
    assertEquals(1, joined.calls());
    assertTrue(joined.failure().getMessage().contains("cannot be followed"));
    assertInstanceOf(IOException.class, joined.failure().getCause());
    assertTrue(peers.cancelled);
    assertEquals(0, store.held());

    CapturedReply<Joined> again = joinAndRead(reader, null);
    assertEquals(2, peers.follows);
    assertEquals(3, assertInstanceOf(CatchUp.Snapshot.class, again.value().catchUp()).head().seq());
  }

  @Test
  void aReadThatFailsRefusesTheJoinAndTheNextJoinIsAnswered() {
    CapturedReply<Joined> joined = new CapturedReply<>();
    follower.join("a", reader, null, joined);
    peers.ready.done(null, null);
    store.failNext(new IOException("disk"));
    assertTrue(joined.failure().getMessage().contains("could not be read"));
    assertInstanceOf(IOException.class, joined.failure().getCause());

    CapturedReply<Joined> again = new CapturedReply<>();
    follower.join("a", reader, null, again);
    store.commitAll();
    assertNull(again.failure());
    assertEquals(1, peers.follows);
  }

  @Test
  void aRoomMissingFromTheStoreRefusesTheJoin() {
    Follower ofNothing = new Follower("none", RoomConfig.DEFAULT, store,
        Lanes.direct().laneOf("none"), clock, fanout, peers, new Attributes(), p -> { },
        () -> { });
    CapturedReply<Joined> joined = new CapturedReply<>();
    ofNothing.join("a", reader, null, joined);
    peers.ready.done(null, null);
    store.commitAll();
    assertTrue(joined.failure().getMessage().contains("could not be read"));
    assertNull(joined.failure().getCause());
  }

  @Test
  void readersOfARoomMadeAnewAreMoved() {
    joinAndRead(reader, null);
    store.committed().create("r", RoomConfig.DEFAULT, "e2", Store.Commit.NONE);
    commit("w", 1, 5);
    peers.announce("e2", 1, 5);
    store.commitAll();
    assertEquals(List.of("moved"), reader.closes());
    assertEquals(List.of(), reader.relayedSeqs());
  }

  /** What the reader is told when ops 4..{@code through} come trimmed through {@code trimmed}. */
  private List<String> closesAfterTrimmedRead(long through, long trimmed) {
    joinAndRead(reader, null);
    commit("w", 4, through);
    store.committed().trim("r", trimmed);
    peers.announce("e", 4, through);
    store.commitAll();
    assertEquals(List.of(), reader.relayedSeqs());
    return reader.closes();
  }

  @Test
  void readersWhoseNextOpsWereTrimmedBeforeTheReadAreMoved() {
    assertEquals(List.of("moved"), closesAfterTrimmedRead(10, 8));
  }

  @Test
  void readersWhoseWholeHistoryWasTrimmedAreMoved() {
    assertEquals(List.of("moved"), closesAfterTrimmedRead(4, 4));
  }

  @Test
  void aReadTornByACommitIsTakenAtItsNewestEntry() {
    Map<String, Entry> entries = Map.of("a", new Entry(json("1"), 5, "w", 0),
        "b", new Entry(json("2"), 2, "w", 0));
    List<Op> ops = LongStream.rangeClosed(1, 7)
        .mapToObj(s -> new Op(s, "w", s, 0, 0, put("k", "v"))).toList();
    StoredRoom torn = new StoredRoom("r", RoomConfig.DEFAULT, "e", 3, entries, ops, List.of(),
        Map.of(), List.of());
    StoredRoom taken = torn.consistent();
    assertEquals(5, taken.head());
    assertEquals(seqs(1, 5), taken.recentOps().stream().map(Op::seq).toList());

    StoredRoom whole = new StoredRoom("r", RoomConfig.DEFAULT, "e", 7, entries, ops, List.of(),
        Map.of(), List.of());
    assertEquals(7, whole.consistent().head());
    assertEquals(seqs(1, 7), whole.consistent().recentOps().stream().map(Op::seq).toList());
  }

  @Test
  void onASingleNodeAJoinIsAnsweredAtTheFirstRead() {
    Follower alone = new Follower("r", RoomConfig.DEFAULT, store, Lanes.direct().laneOf("r"),
        clock, fanout, Peers.NONE, new Attributes(), p -> { },
        () -> { });
    CapturedReply<Joined> joined = new CapturedReply<>();
    alone.join("a", reader, null, joined);
    store.commitAll();
    assertEquals(3, assertInstanceOf(CatchUp.Snapshot.class, joined.value().catchUp()).head().seq());
    alone.stop();
    Peers.NONE.committed("r", "e", 1, 1);
  }

  @Test
  void aReaderOfAnEmptyRoomGetsItsFirstOpsAndIsMovedIfItIsMadeAnew() {
    store.committed().create("r", RoomConfig.DEFAULT, "e", Store.Commit.NONE);
    joinAndRead(reader, null);
    commit("w", 1, 2);
    peers.announce("e", 1, 2);
    store.commitAll();
    assertEquals(seqs(1, 2), reader.relayedSeqs());

    RecordingSubscriber early = new RecordingSubscriber("early");
    Follower ofEmpty = new Follower("s", RoomConfig.DEFAULT, store, Lanes.direct().laneOf("s"),
        clock, new Fanout("s", EngineListener.NONE), peers, new Attributes(), p -> { },
        () -> { });
    store.committed().create("s", RoomConfig.DEFAULT, "e", Store.Commit.NONE);
    ofEmpty.join("a", early, null, new CapturedReply<>());
    peers.ready.done(null, null);
    store.commitAll();
    store.committed().create("s", RoomConfig.DEFAULT, "e2", Store.Commit.NONE);
    ofEmpty.poll();
    store.commitAll();
    assertEquals(List.of("moved"), early.closes());
  }

  @Test
  void opsKeptFromJustAfterTheDeliveredOneAreRelayedAndNothingNewMovesNobody() {
    joinAndRead(reader, null);
    store.committed().trim("r", 3);
    follower.poll();
    store.commitAll();
    assertEquals(List.of(), reader.closes(), "history trimmed, but nothing was missed");

    commit("w", 4, 5);
    peers.announce("e", 4, 5);
    store.commitAll();
    assertEquals(seqs(4, 5), reader.relayedSeqs());
    assertEquals(List.of(), reader.closes());
  }
}
