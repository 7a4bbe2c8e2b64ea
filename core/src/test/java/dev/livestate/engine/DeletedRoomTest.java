package dev.livestate.engine;

import dev.livestate.testkit.Connections;
import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.StoredRoom;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.HeldCommitStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Adapters keep {@link LiveRoom} objects, so one can outlive {@link Engine#delete}: whatever is
 * asked of it afterwards must fail and leave nothing in the store, neither rows of the deleted
 * room nor writes into a new room of the same name.
 */
@Fast
class DeletedRoomTest {
  private static final Writer A = Writer.of("a");

  private final ManualClock clock = new ManualClock();
  private final HeldCommitStore store = new HeldCommitStore();
  private final Engine engine =
      new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1");
  private RoomHandle stale;

  @BeforeEach
  void openAndDelete() {
    stale = engine.open("r", RoomConfig.DEFAULT);
    stale.submit(A, Connections.of(A), List.of(proposal(1, 0, put("k", "1"))), Reply.ignore());
    store.commitAll();
    CapturedReply<Void> deleted = new CapturedReply<>();
    engine.delete("r", deleted);
    store.commitAll();
    deleted.value();
  }

  /** Asks everything that writes of the stale room; each reply must be a failure. */
  private void writeThroughTheStaleRoom() {
    List<CapturedReply<?>> replies = List.of(new CapturedReply<>(), new CapturedReply<>(),
        new CapturedReply<>(), new CapturedReply<>());
    stale.submit(A, Connections.of(A), List.of(proposal(2, 1, put("k", "2"))), cast(replies.get(0)));
    stale.publish(clock.millis(), new Json("\"late\""), cast(replies.get(1)));
    stale.putAttribute("auth", new Json("\"late\""), cast(replies.get(2)));
    stale.seal(cast(replies.get(3)));
    for (CapturedReply<?> r : replies) {
      assertInstanceOf(IllegalStateException.class, r.failure(), "a stale write is refused");
      assertEquals(1, r.calls());
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> CapturedReply<T> cast(CapturedReply<?> r) {
    return (CapturedReply<T>) r;
  }

  @Test
  void writesThroughAStaleReferenceFailAndReachNoStore() {
    writeThroughTheStaleRoom();

    assertEquals(List.of(), store.heldWrites(), "nothing was handed to the store");
    store.commitAll();
    assertEquals(List.of(), store.recover(clock.millis()));
    assertNull(engine.room("r"));
  }

  @Test
  void staleReferenceCannotWriteIntoANewRoomOfTheSameName() {
    RoomHandle fresh = engine.open("r", RoomConfig.DEFAULT);
    store.commitAll();

    writeThroughTheStaleRoom();
    store.commitAll();

    StoredRoom stored = store.recover(clock.millis()).get(0);
    assertEquals(0, stored.head());
    assertEquals(List.of(), stored.recentOps());
    assertEquals(List.of(), stored.stream());
    assertTrue(stored.attributes().isEmpty(), "no attribute and no seal: " + stored.attributes());
    assertEquals(0, fresh.head().seq());
    assertEquals(false, fresh.sealed());
  }

  @Test
  void staleReferenceCannotSubscribeAnyone() {
    CapturedReply<Joined> joined = new CapturedReply<>();
    RecordingSubscriber late = new RecordingSubscriber("late");

    stale.join(late, null, joined);

    assertInstanceOf(IllegalStateException.class, joined.failure());
    assertEquals(0, stale.subscriberCount());
  }

  @Test
  void joinWaitingForACommitWhenTheRoomIsDeletedFailsInsteadOfSubscribing() {
    RoomHandle room = engine.open("q", RoomConfig.DEFAULT);
    store.commitAll();
    room.submit(A, Connections.of(A), List.of(proposal(1, 0, put("k", "1"))), Reply.ignore());
    CapturedReply<Joined> joined = new CapturedReply<>();
    room.join(new RecordingSubscriber("b"), null, joined);

    engine.delete("q", Reply.ignore());
    store.commitAll();

    assertInstanceOf(IllegalStateException.class, joined.failure());
    assertEquals(0, room.subscriberCount());
  }

  @Test
  void subscribersDroppedByTheDeleteHearNothingMore() {
    RoomHandle room = engine.open("q", RoomConfig.DEFAULT);
    RecordingSubscriber b = new RecordingSubscriber("b");
    room.join(b, null, Reply.ignore());
    store.commitAll();

    engine.delete("q", Reply.ignore());
    room.setPresence("c", new Json("1"));
    room.removePresence("c");

    assertEquals(List.of("deleted"), b.closes());
    assertEquals(List.of(), b.events());
  }

  @Test
  void deletingARoomThatDoesNotExistAnswersAtOnce() {
    CapturedReply<Void> reply = new CapturedReply<>();

    engine.delete("never", reply);

    assertTrue(reply.isDone());
    assertNull(reply.failure());
    assertEquals(List.of(), store.heldWrites());
  }
}
