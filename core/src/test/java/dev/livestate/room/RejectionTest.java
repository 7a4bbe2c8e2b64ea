package dev.livestate.room;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static dev.livestate.testkit.Changes.puts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Json;
import dev.livestate.state.Entry;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import dev.livestate.testkit.Fast;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every rejection names the change it answers by the writer's own localSeq (a client matches
 * answers to its pending changes by it), and says why in a stable code and a message.
 */
@Fast
class RejectionTest {
  private static final Writer A = Writer.of("a");
  private static final Writer B = Writer.of("b");

  /** The answer to B's change numbered 41, the second of a batch whose first is numbered 40. */
  private static Outcome.Rejected rejectedSecond(Room room, Writer w) {
    List<Outcome> outcomes = room.decide(w, List.of(
        proposal(40, 0, put("x", "40")), proposal(41, 0, put("k", "41"))), 0).outcomes();
    assertEquals(40, outcomes.get(0).localSeq());
    return assertInstanceOf(Outcome.Rejected.class, outcomes.get(1));
  }

  @Test
  void sealedRejectionCarriesTheChangesLocalSeq() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");
    room.seal();

    Outcome.Rejected r = rejectedSecond(room, B);

    assertEquals(new Outcome.Rejected(41, Rejection.SEALED, "room is sealed", Map.of()), r);
    assertEquals("sealed", r.reason().code());
  }

  @Test
  void readerRejectionCarriesTheChangesLocalSeq() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");

    Outcome.Rejected r = rejectedSecond(room, new Writer("b", Role.READER, 0));

    assertEquals(new Outcome.Rejected(41, Rejection.READER, "readers cannot write", Map.of()), r);
    assertEquals("forbidden", r.reason().code());
  }

  @Test
  void notLeaderRejectionWhileAnotherLeadsCarriesTheChangesLocalSeqAndNamesTheLeader() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e");
    room.claimLeader("a");

    Outcome.Rejected r = rejectedSecond(room, B);

    assertEquals(
        new Outcome.Rejected(41, Rejection.NOT_LEADER, "room is led by a", Map.of()), r);
    assertEquals("not_leader", r.reason().code());
  }

  @Test
  void notLeaderRejectionInALeaderOnlyRoomCarriesTheChangesLocalSeq() {
    Room room = new Room("r", RoomConfig.DEFAULT.withWriteAccess(WriteAccess.LEADER_ONLY), "e");

    Outcome.Rejected r = rejectedSecond(room, B);

    assertEquals(new Outcome.Rejected(41, Rejection.NOT_LEADER,
        "only the room's leader may write", Map.of()), r);
  }

  @Test
  void conflictRejectionCarriesTheChangesLocalSeqAndEveryWinner() {
    Room room = new Room("r", RoomConfig.DEFAULT.withPolicy(ConflictPolicy.FIRST_WRITER_WINS), "e");
    room.decide(A, List.of(proposal(1, 0, put("k", "1"))), 5);

    Outcome.Rejected r = rejectedSecond(room, B);

    assertEquals(new Outcome.Rejected(41, Rejection.CONFLICT, "conflict on k",
        Map.of("k", new Entry(new Json("1"), 1, "a", 0))), r);
    assertEquals("conflict", r.reason().code());
    assertEquals(new Outcome.Accepted(40, 2), room.decide(B,
        List.of(proposal(40, 0, put("x", "40"))), 0).outcomes().get(0), "only k conflicted");
  }

  @Test
  void conflictOnSeveralKeysNamesThemAllInTheOrderTheChangeWroteThem() {
    Room room = new Room("r", RoomConfig.DEFAULT.withPolicy(ConflictPolicy.FIRST_WRITER_WINS), "e");
    room.decide(A, List.of(proposal(1, 0, puts("b", "1", "a", "1"))), 0);

    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, room.decide(B, List.of(
        proposal(9, 0, puts("b", "2", "a", "2"))), 0)
        .outcomes().get(0));

    assertEquals("conflict on b, a", r.message());
    assertEquals(List.of("a", "b"), r.winners().keySet().stream().sorted().toList());
  }
}
