package dev.livestate.conflict;

import static dev.livestate.testkit.Changes.json;
import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static dev.livestate.testkit.Changes.puts;
import static dev.livestate.testkit.Changes.reset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.room.Role;
import dev.livestate.room.Room;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.state.Entry;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import dev.livestate.testkit.Fast;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Fast
class ConflictRulesTest {
  private static final Writer A = new Writer("a", Role.WRITER, 1);
  private static final Writer B = new Writer("b", Role.WRITER, 1);
  private static final Writer B_HIGH = new Writer("b", Role.WRITER, 9);

  private static Room room(ConflictPolicy policy) {
    return new Room("r", RoomConfig.DEFAULT.withPolicy(policy), "e1");
  }

  private static Outcome decideOne(Room room, Writer w, long localSeq, long baseSeq,
      dev.livestate.op.Change change) {
    return room.decide(w, List.of(proposal(localSeq, baseSeq, change)), 0).outcomes().get(0);
  }

  @Test
  void oneLosingKeyRejectsTheWholeChange() {
    Room room = room(ConflictPolicy.FIRST_WRITER_WINS);
    decideOne(room, A, 1, 0, puts("x", "1", "y", "1"));
    decideOne(room, A, 2, 1, put("y", "2"));

    Outcome o = decideOne(room, B, 1, 1, puts("x", "3", "y", "3", "z", "3"));

    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, o);
    assertEquals(Map.of("y", new Entry(json("2"), 2, "a", 1)), r.winners(), "only the lost key");
    assertEquals(Map.of("x", json("1"), "y", json("2")), room.state().values(),
        "neither the seen key x nor the new key z was written");
    assertEquals(2, room.head().seq());
  }

  @Test
  void aBaseSeqPastTheHeadCountsAsHavingSeenNothingOfThisHistory() {
    // the room was rebuilt after losing state: B still holds base seq 40 from the old history
    Room room = room(ConflictPolicy.PRIORITY);
    decideOne(room, B_HIGH, 1, 0, put("x", "high"));

    Outcome o = decideOne(room, A, 1, 40, put("x", "low"));

    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, o);
    assertEquals(json("high"), r.winners().get("x").value());
    assertEquals(Map.of("x", json("high")), room.state().values());
  }

  @Test
  void laterProposalsOfABatchAreDecidedOnTheirOwnAndTakeTheNextSeq() {
    Room room = room(ConflictPolicy.FIRST_WRITER_WINS);
    decideOne(room, A, 1, 0, put("k", "1"));

    Room.Decision d = room.decide(B, List.of(
        proposal(1, 0, put("k", "2")),
        proposal(2, 0, put("other", "2"))), 0);

    assertInstanceOf(Outcome.Rejected.class, d.outcomes().get(0));
    assertEquals(new Outcome.Accepted(2, 2), d.outcomes().get(1));
    assertEquals(List.of(2L), d.accepted().stream().map(dev.livestate.op.Op::seq).toList());
  }

  @Test
  void proposalsOfOneBatchSeeEachOtherSoTheyNeverConflictAmongThemselves() {
    Room room = room(ConflictPolicy.FIRST_WRITER_WINS);
    Room.Decision d = room.decide(A, List.of(
        proposal(1, 0, put("k", "1")), proposal(2, 0, put("k", "2"))), 0);

    assertEquals(List.of(new Outcome.Accepted(1, 1), new Outcome.Accepted(2, 2)), d.outcomes());
    assertEquals(json("2"), room.state().get("k").value());
  }

  @Test
  void resetConflictsOnAKeyItWouldDeleteThatAnotherWriterSetUnseen() {
    Room room = room(ConflictPolicy.FIRST_WRITER_WINS);
    decideOne(room, A, 1, 0, put("k", "1"));

    Outcome o = decideOne(room, B, 1, 0, reset("other", "1"));

    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, o);
    assertEquals(Rejection.CONFLICT, r.reason());
    assertEquals(Map.of("k", new Entry(json("1"), 1, "a", 1)), r.winners());
    assertEquals(Map.of("k", json("1")), room.state().values());
  }

  @Test
  void resetThatKeepsAnUnseenValueDoesNotConflictOnIt() {
    Room room = room(ConflictPolicy.FIRST_WRITER_WINS);
    decideOne(room, A, 1, 0, put("k", "1"));

    Outcome o = decideOne(room, B, 1, 0, reset("k", "1", "other", "2"));

    assertEquals(new Outcome.Accepted(1, 2), o);
    assertEquals(Map.of("k", json("1"), "other", json("2")), room.state().values());
  }

  @Test
  void resetAfterSeeingEverythingClearsTheStateAndTombstonesTheClearedKeys() {
    Room room = room(ConflictPolicy.FIRST_WRITER_WINS);
    decideOne(room, A, 1, 0, puts("k", "1", "j", "1"));

    assertEquals(new Outcome.Accepted(1, 2), decideOne(room, B, 1, 1, reset("n", "2")));

    assertEquals(Map.of("n", json("2")), room.state().values());
    assertEquals(new Entry(null, 2, "b", 1), room.state().get("k"));
  }

  @Test
  void higherPriorityResetOverrulesUnseenValues() {
    Room room = room(ConflictPolicy.PRIORITY);
    decideOne(room, A, 1, 0, put("k", "1"));

    assertEquals(new Outcome.Accepted(1, 2), decideOne(room, B_HIGH, 1, 0, reset()));
    assertEquals(Map.of(), room.state().values());
  }

  @Test
  void deletingAKeyAnotherWriterSetUnseenIsAConflict() {
    Room room = room(ConflictPolicy.FIRST_WRITER_WINS);
    decideOne(room, A, 1, 0, put("k", "1"));

    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class,
        decideOne(room, B, 1, 0, put("k", null)));
    assertEquals(new Entry(json("1"), 1, "a", 1), r.winners().get("k"));
  }

  @Test
  void deletingAKeyAnotherWriterDeletedUnseenIsNoConflict() {
    Room room = room(ConflictPolicy.FIRST_WRITER_WINS);
    decideOne(room, A, 1, 0, put("k", "1"));
    decideOne(room, A, 2, 1, put("k", null));

    assertEquals(new Outcome.Accepted(1, 3), decideOne(room, B, 1, 0, put("k", null)));
  }

  @Test
  void writingAKeyAnotherWriterDeletedUnseenConflictsAndTheDeletionIsTheWinner() {
    Room room = room(ConflictPolicy.FIRST_WRITER_WINS);
    decideOne(room, A, 1, 0, put("k", "1"));
    decideOne(room, A, 2, 1, put("k", null));

    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class,
        decideOne(room, B, 1, 1, put("k", "2")));
    Entry winner = r.winners().get("k");
    assertTrue(winner.deleted());
    assertEquals(2, winner.seq());
    assertFalse(room.state().values().containsKey("k"));
  }

  @Test
  void priorityComparesWithThePriorityThatSetTheCurrentValueNotTheFirstOne() {
    Room room = room(ConflictPolicy.PRIORITY);
    decideOne(room, A, 1, 0, put("k", "1"));
    decideOne(room, B_HIGH, 1, 0, put("k", "2"));
    Writer c = new Writer("c", Role.WRITER, 5);

    Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class,
        decideOne(room, c, 1, 0, put("k", "3")));
    assertEquals(new Entry(json("2"), 2, "b", 9), r.winners().get("k"));
  }

  @Test
  void policiesHaveStableWireNames() {
    for (ConflictPolicy p : ConflictPolicy.values()) {
      assertEquals(p, ConflictPolicy.fromWireName(p.wireName()));
    }
    assertEquals("last-writer-wins", ConflictPolicy.LAST_WRITER_WINS.wireName());
    assertEquals("first-writer-wins", ConflictPolicy.FIRST_WRITER_WINS.wireName());
    assertEquals("priority", ConflictPolicy.PRIORITY.wireName());
    assertThrows(IllegalArgumentException.class, () -> ConflictPolicy.fromWireName("newest"));
  }
}
