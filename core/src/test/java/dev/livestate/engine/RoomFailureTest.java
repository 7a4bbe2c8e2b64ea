package dev.livestate.engine;

import dev.livestate.engine.Origin;
import dev.livestate.testkit.Connections;
import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.HeldCommitStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a room does when a request or its store goes wrong. */
@Fast
class RoomFailureTest {
  private static final Writer A = Writer.of("a");

  private final HeldCommitStore store = new HeldCommitStore();
  private final Engine engine =
      new Engine(new ManualClock(), Lanes.direct(), Stores.of(store, store), () -> "e1");
  private RoomHandle room;

  @BeforeEach
  void open() {
    room = engine.open("r", RoomConfig.DEFAULT);
    store.commitAll();
  }

  @Test
  void subscribersDroppedByAStoreFailureHearNothingMore() {
    RecordingSubscriber b = new RecordingSubscriber("b");
    room.join(b, null, Reply.ignore());
    room.submit(A, Connections.of(A), List.of(proposal(1, 0, put("k", "1"))), Reply.ignore());

    store.failNext(new IllegalStateException("disk full"));
    room.setPresence("c", new Json("1"));
    room.removePresence("c");

    assertEquals(List.of("store_failed"), b.closes());
    assertEquals(List.of(), b.events());
  }

  @Test
  void requestThatThrowsOnTheLaneIsAnsweredWithTheFailureAndTheRoomGoesOn() {
    CapturedReply<List<Outcome>> broken = new CapturedReply<>();

    room.submit(A, Connections.of(A), null, broken);

    assertNotNull(broken.failure());
    assertEquals(1, broken.calls());
    CapturedReply<List<Outcome>> next = new CapturedReply<>();
    room.submit(A, Connections.of(A), List.of(proposal(1, 0, put("k", "1"))), next);
    store.commitAll();
    assertEquals(List.of(new Outcome.Accepted(1, 1)), next.value());
  }

  @Test
  void failedRoomRefusesEveryKindOfRequest() {
    room.submit(A, Connections.of(A), List.of(proposal(1, 0, put("k", "1"))), Reply.ignore());
    store.failNext(new IllegalStateException("disk full"));

    CapturedReply<Joined> join = new CapturedReply<>();
    room.join(new RecordingSubscriber("late"), null, join);
    CapturedReply<Void> attribute = new CapturedReply<>();
    room.putAttribute("k", new Json("1"), attribute);

    assertInstanceOf(IllegalStateException.class, join.failure());
    assertInstanceOf(IllegalStateException.class, attribute.failure());
    assertEquals(0, room.subscriberCount());
    assertEquals(List.of(), store.heldWrites(), "a failed room writes nothing more");
  }

  @Test
  void subscriberThatThrowsCostsTheOthersNothing() {
    Subscriber broken = new Subscriber() {
      @Override
      public Origin.Client connection() {
        return Connections.of("broken");
      }

      @Override
      public void deliver(Broadcast broadcast) {
        throw new IllegalStateException("a closed socket");
      }
    };
    room.join(broken, null, Reply.ignore());
    RecordingSubscriber after = new RecordingSubscriber("after");
    room.join(after, null, Reply.ignore());
    CapturedReply<List<Outcome>> ack = new CapturedReply<>();

    room.submit(A, Connections.of(A), List.of(proposal(1, 0, put("k", "1"))), ack);
    store.commitAll();

    assertEquals(List.of(new Outcome.Accepted(1, 1)), ack.value());
    assertEquals(List.of(1L), after.relayedSeqs());
  }

  @Test
  void roomTheStoreCouldNotRecordNeverAcksAWrite() {
    RoomHandle unrecorded = engine.open("q", RoomConfig.DEFAULT);
    store.failNext(new IllegalStateException("disk full"));
    CapturedReply<List<Outcome>> write = new CapturedReply<>();

    unrecorded.submit(A, Connections.of(A), List.of(proposal(1, 0, put("k", "1"))), write);
    store.commitAll();

    assertNotNull(write.failure(), "told its change was not stored");
    assertEquals(List.of("r"), store.recover(0).stream().map(s -> s.name()).toList());
  }
}
