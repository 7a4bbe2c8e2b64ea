package dev.livestate.cluster;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.engine.Engine;
import dev.livestate.engine.EngineListener;
import dev.livestate.engine.Joined;
import dev.livestate.engine.Lanes;
import dev.livestate.engine.ManualClock;
import dev.livestate.engine.Origin;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.Stores;
import dev.livestate.room.Position;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.FencingStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Two engines as two nodes (decision 021): the room is decided on a, and b relays it to its own
 * subscribers from the batches a announces on the bus and the ops b reads from the shared store.
 */
@Fast
class CrossNodeFanoutTest {
  private final ManualClock clock = new ManualClock();
  private final MemoryCluster cluster = new MemoryCluster(clock);
  private final FencingStore.Database db = new FencingStore.Database();
  private final RequestWire wire = new SameProcessWire();
  /** Whether b's bus loses the messages it receives (a broken connection to the bus). */
  private boolean losing;
  private final Engine a = engine("a", cluster.bus("a"));
  private final Engine b = engine("b", new LossyBus(cluster.bus("b"), body -> losing));

  private Engine engine(String node, Bus bus) {
    FencingStore shared = new FencingStore(db);
    return new Engine(clock, Lanes.direct(), Stores.of(shared, new MemoryStore()), () -> "e",
        EngineListener.NONE, Long.MAX_VALUE,
        new LeasedOwnership(cluster.leases(node), shared, Duration.ofSeconds(5), clock),
        new BusPeers(bus, wire, Duration.ofSeconds(5)));
  }

  private static void write(RoomHandle room, long from, long to) {
    for (long i = from; i <= to; i++) {
      CapturedReply<List<dev.livestate.sync.Outcome>> acked = new CapturedReply<>();
      room.submit(Writer.of("w"), Origin.LOCAL,
          List.of(proposal(i, 0, put("k" + i, Long.toString(i)))), acked);
      assertEquals(1, acked.value().size());
    }
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void aReaderOnAnotherNodeGetsEveryOpOnceInOrder() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    write(atA, 1, 3);
    RecordingSubscriber reader = new RecordingSubscriber("reader");
    CapturedReply<Joined> joined = new CapturedReply<>();
    b.open("r", RoomConfig.DEFAULT).join(reader, null, joined);
    CatchUp.Snapshot snapshot = assertInstanceOf(CatchUp.Snapshot.class, joined.value().catchUp());
    assertEquals(3, snapshot.head().seq());

    write(atA, 4, 200);
    assertEquals(seqs(4, 200), reader.relayedSeqs());
  }

  @Test
  void aReaderJoiningFromAPositionGetsWhatItMissedThenLiveOps() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    write(atA, 1, 50);
    RecordingSubscriber first = new RecordingSubscriber("first");
    b.open("r", RoomConfig.DEFAULT).join(first, null, new CapturedReply<>());
    write(atA, 51, 80);

    RecordingSubscriber late = new RecordingSubscriber("late");
    CapturedReply<Joined> joined = new CapturedReply<>();
    b.room("r").join(late, new Position("e", 60), joined);
    CatchUp.Tail tail = assertInstanceOf(CatchUp.Tail.class, joined.value().catchUp());
    assertEquals(seqs(61, 80), tail.ops().stream().map(o -> o.seq()).toList());
    write(atA, 81, 90);

    assertEquals(seqs(51, 90), first.relayedSeqs());
    assertEquals(seqs(81, 90), late.relayedSeqs());
  }

  @Test
  void opsWhoseAnnouncementsWereLostReachTheReaderByTheNextOneOrTheUpkeep() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    write(atA, 1, 5);
    RecordingSubscriber reader = new RecordingSubscriber("reader");
    b.open("r", RoomConfig.DEFAULT).join(reader, null, new CapturedReply<>());
    write(atA, 6, 10);
    losing = true;
    write(atA, 11, 20);
    losing = false;
    write(atA, 21, 21);
    assertEquals(seqs(6, 21), reader.relayedSeqs(), "the gap read with the next announcement");

    losing = true;
    write(atA, 22, 30);
    losing = false;
    assertEquals(seqs(6, 21), reader.relayedSeqs());
    b.tick();
    assertEquals(seqs(6, 30), reader.relayedSeqs(), "the last ones read by the upkeep");
  }

  @Test
  void readersOfANodeThatTakesTheRoomAreMovedAndItContinuesTheSeqs() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    write(atA, 1, 5);
    RecordingSubscriber reader = new RecordingSubscriber("reader");
    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    atB.join(reader, null, new CapturedReply<>());

    clock.advance(Duration.ofSeconds(6)); // a's lease ran out: a is gone
    write(atB, 6, 6);
    assertEquals(List.of("moved"), reader.closes(), "relayed up to a seq b no longer decides by");
    assertEquals(6, atB.head().seq());
  }

  private static List<Outcome> submit(RoomHandle room, RecordingSubscriber writer, long localSeq,
      String key) {
    CapturedReply<List<Outcome>> answered = new CapturedReply<>();
    room.submit(Writer.of(writer.clientId()), writer.connection(),
        List.of(proposal(localSeq, 0, put(key, Long.toString(localSeq)))), answered);
    return answered.value();
  }

  @Test
  void aWriterOnANodeThatDoesNotOwnTheRoomIsAckedByTheOwnerAndNotSentItsOwnOp() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    write(atA, 1, 3);
    RecordingSubscriber readerAtA = new RecordingSubscriber("readerA");
    atA.join(readerAtA, null, new CapturedReply<>());
    RecordingSubscriber writer = new RecordingSubscriber("writer");
    RecordingSubscriber readerAtB = new RecordingSubscriber("readerB");
    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    atB.join(writer, null, new CapturedReply<>());
    atB.join(readerAtB, null, new CapturedReply<>());

    assertEquals(List.of(new Outcome.Accepted(1, 4)), submit(atB, writer, 1, "x"));
    write(atA, 5, 5);

    assertEquals(seqs(4, 5), readerAtB.relayedSeqs());
    assertEquals(seqs(4, 5), readerAtA.relayedSeqs());
    assertEquals(List.of(5L), writer.relayedSeqs(), "its own op is not sent back to it");
    assertEquals(5, atA.head().seq());
  }

  @Test
  void aChangeResentThroughAnotherNodeGetsItsOriginalAckAndIsNotAppliedTwice() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    RecordingSubscriber writer = new RecordingSubscriber("writer");
    atA.join(writer, null, new CapturedReply<>());
    assertEquals(List.of(new Outcome.Accepted(7, 1)), submit(atA, writer, 7, "x"));
    write(atA, 2, 3);

    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    atB.join(writer, null, new CapturedReply<>());
    assertEquals(List.of(new Outcome.Accepted(7, 1)), submit(atB, writer, 7, "x"));
    assertEquals(3, atA.head().seq());
  }

  @Test
  void aSubmitTheOwnerCannotAnswerFailsSoTheClientSendsItAgain() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    write(atA, 1, 1);
    RecordingSubscriber writer = new RecordingSubscriber("writer");
    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    atB.join(writer, null, new CapturedReply<>());
    cluster.bus("a").close(); // a stops answering, still holding the room's lease

    CapturedReply<List<Outcome>> answered = new CapturedReply<>();
    atB.submit(Writer.of("writer"), writer.connection(),
        List.of(proposal(1, 0, put("x", "1"))), answered);
    assertTrue(answered.failure().getMessage().contains("send them again"),
        answered.failure().getMessage());
    assertEquals(1, atA.head().seq());
  }
}
