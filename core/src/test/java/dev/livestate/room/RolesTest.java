package dev.livestate.room;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import dev.livestate.testkit.Fast;
import java.util.List;
import org.junit.jupiter.api.Test;

@Fast
class RolesTest {
  private static final Writer A = Writer.of("a");
  private static final Writer B = Writer.of("b");
  private static final Writer READER = new Writer("r", Role.READER, 100);

  private static Outcome write(Room room, Writer w, long localSeq) {
    return room.decide(w, List.of(proposal(localSeq, room.head().seq(), put("k" + localSeq, "1"))),
        0).outcomes().get(0);
  }

  private static Rejection rejection(Outcome o) {
    return assertInstanceOf(Outcome.Rejected.class, o).reason();
  }

  @Test
  void readerIsRejectedAndTakesNoSeq() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");

    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, write(room, READER, 1));

    assertEquals(Rejection.READER, r.reason());
    assertEquals("forbidden", r.reason().code());
    assertTrue(r.winners().isEmpty());
    assertEquals(0, room.head().seq());
  }

  @Test
  void leaderWritesAloneWhileItLeads() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");
    assertEquals(new Leadership.Granted(null), room.claimLeader("a"));

    assertInstanceOf(Outcome.Accepted.class, write(room, A, 1));
    assertEquals(Rejection.NOT_LEADER, rejection(write(room, B, 1)));

    assertTrue(room.releaseLeader("a"));
    assertInstanceOf(Outcome.Accepted.class, write(room, B, 2));
  }

  @Test
  void claimingAgainIsANoOpGrant() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");
    room.claimLeader("a");

    assertEquals(new Leadership.Granted(null), room.claimLeader("a"));
    assertEquals("a", room.leader());
  }

  @Test
  void takeoverAllowedHandsTheRoomToTheNewcomerAndNamesThePrevious() {
    Room room = new Room("r", RoomConfig.DEFAULT.withTakeover(Takeover.ALLOW), "e");
    room.claimLeader("a");

    assertEquals(new Leadership.Granted("a"), room.claimLeader("b"));

    assertEquals("b", room.leader());
    assertEquals(Rejection.NOT_LEADER, rejection(write(room, A, 1)));
    assertInstanceOf(Outcome.Accepted.class, write(room, B, 1));
  }

  @Test
  void takeoverRefusedKeepsTheHolder() {
    Room room = new Room("r", RoomConfig.DEFAULT.withTakeover(Takeover.REFUSE), "e");
    room.claimLeader("a");

    assertEquals(new Leadership.Refused("a"), room.claimLeader("b"));
    assertEquals("a", room.leader());
  }

  @Test
  void leaderOnlyRoomWithoutALeaderTakesNoWrites() {
    Room room = new Room("r", RoomConfig.DEFAULT.withWriteAccess(WriteAccess.LEADER_ONLY), "e");

    assertEquals(Rejection.NOT_LEADER, rejection(write(room, A, 1)));
    room.claimLeader("a");
    assertInstanceOf(Outcome.Accepted.class, write(room, A, 2));
    assertEquals(Rejection.NOT_LEADER, rejection(write(room, B, 1)));
  }

  @Test
  void leaderWhoJoinedAsReaderStillCannotWrite() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");
    room.claimLeader("r");

    assertEquals(Rejection.READER, rejection(write(room, READER, 1)));
  }

  @Test
  void releaseByANonLeaderIsFalseAndKeepsTheLeader() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");
    assertFalse(room.releaseLeader("a"), "nobody leads");
    room.claimLeader("a");

    assertFalse(room.releaseLeader("b"));
    assertEquals("a", room.leader());
    assertTrue(room.releaseLeader("a"));
    assertNull(room.leader());
  }

  @Test
  void sealedRoomRejectsEveryWriteEvenTheLeaders() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");
    room.claimLeader("a");
    write(room, A, 1);

    room.seal();

    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, write(room, A, 2));
    assertEquals(Rejection.SEALED, r.reason());
    assertEquals(1, room.head().seq());
  }

  @Test
  void sealedRoomStillAnswersAResendWithItsOriginalAck() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");
    write(room, A, 1);
    room.seal();

    assertEquals(new Outcome.Accepted(1, 1),
        room.decide(A, List.of(proposal(1, 0, put("k1", "1"))), 0).outcomes().get(0));
  }
}
