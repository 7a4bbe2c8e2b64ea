package dev.livestate.room;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import dev.livestate.testkit.Fast;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every (clientId, localSeq) is decided once (docs/decisions/001): a resend gets the original
 * answer, refusal or ack, whatever changed in the room since; a client that wants another try
 * sends the change under a new localSeq.
 */
@Fast
class RefusalsDecidedOnceTest {
  private static final Writer A = Writer.of("a");
  private static final Writer B = Writer.of("b");

  private static Outcome send(Room room, Writer w, long localSeq) {
    return room.decide(w, List.of(proposal(localSeq, room.head().seq(), put("k", "" + localSeq))),
        0).outcomes().get(0);
  }

  private static Outcome.Rejected refused(Outcome o, Rejection reason) {
    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, o);
    assertEquals(reason, r.reason());
    return r;
  }

  @Test
  void refusalOfAReaderStandsAfterTheClientComesBackAsAWriter() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");
    Outcome first = refused(send(room, new Writer("b", Role.READER, 0), 5), Rejection.READER);

    assertEquals(first, send(room, B, 5), "same answer to the resend");
    assertEquals(0, room.head().seq(), "and nothing applied");
    assertEquals(new Outcome.Accepted(6, 1), send(room, B, 6), "a new localSeq is a new try");
  }

  @Test
  void refusalWhileAnotherLedStandsAfterTheLeaderLeft() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");
    room.claimLeader("a");
    Outcome first = refused(send(room, B, 3), Rejection.NOT_LEADER);
    room.releaseLeader("a");

    assertEquals(first, send(room, B, 3));
    assertEquals(0, room.head().seq());
    assertEquals(new Outcome.Accepted(4, 1), send(room, B, 4));
  }

  @Test
  void refusalInALeaderOnlyRoomStandsAfterTheWriterBecameLeader() {
    Room room = new Room("r", RoomConfig.DEFAULT.withWriteAccess(WriteAccess.LEADER_ONLY), "e");
    Outcome first = refused(send(room, A, 1), Rejection.NOT_LEADER);
    room.claimLeader("a");

    assertEquals(first, send(room, A, 1));
    assertEquals(new Outcome.Accepted(2, 1), send(room, A, 2));
  }

  @Test
  void refusalOfASealedRoomIsRepeatedToEveryResend() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");
    room.seal();
    Outcome first = refused(send(room, A, 1), Rejection.SEALED);

    assertEquals(first, send(room, A, 1));
    assertEquals(first, send(room, A, 1));
    assertEquals(0, room.head().seq());
  }

  @Test
  void conflictStandsAfterTheWinningValueIsGone() {
    Room room = new Room("r", RoomConfig.DEFAULT.withPolicy(ConflictPolicy.FIRST_WRITER_WINS), "e");
    send(room, A, 1);
    Outcome first = room.decide(B, List.of(proposal(1, 0, put("k", "2"))), 0).outcomes().get(0);
    refused(first, Rejection.CONFLICT);
    room.decide(A, List.of(proposal(2, 1, put("k", null))), 0);

    assertEquals(first, room.decide(B, List.of(proposal(1, 2, put("k", "2"))), 0)
        .outcomes().get(0));
    assertEquals(2, room.head().seq());
  }

  @Test
  void changeSentTwiceInOneBatchIsDecidedOnceToo() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");

    Room.Decision d = room.decide(A, List.of(
        proposal(1, 0, put("k", "1")), proposal(1, 0, put("k", "other"))), 0);

    assertEquals(List.of(new Outcome.Accepted(1, 1), new Outcome.Accepted(1, 1)), d.outcomes());
    assertEquals(1, d.accepted().size());
  }

  @Test
  void refusalsAreRememberedPerClient() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");
    room.claimLeader("a");
    refused(send(room, B, 1), Rejection.NOT_LEADER);

    assertEquals(new Outcome.Accepted(1, 1), send(room, A, 1), "a's localSeq 1 is its own");
  }
}
