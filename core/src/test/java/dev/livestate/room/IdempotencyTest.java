package dev.livestate.room;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.Fast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Fast
class IdempotencyTest {
  private static final Writer A = Writer.of("a");
  private static final Writer B = Writer.of("b");

  private final Room room = new Room("r", RoomConfig.DEFAULT, "e1");

  @Test
  void resentChangeIsAckedOnceNotAppliedTwice() {
    Room.Decision first = room.decide(A, List.of(proposal(7, 0, put("k", "1"))), 0);

    Room.Decision again = room.decide(A, List.of(proposal(7, 0, put("k", "1"))), 0);

    assertEquals(first.outcomes(), again.outcomes());
    assertEquals(List.of(new Outcome.Accepted(7, 1)), again.outcomes());
    assertTrue(again.accepted().isEmpty(), "nothing new to store or relay");
    assertEquals(1, room.head().seq());
    assertEquals(1, room.retained().size());
  }

  @Test
  void resendIsRecognisedByLocalSeqEvenWhenItsContentDiffers() {
    room.decide(A, List.of(proposal(1, 0, put("k", "1"))), 0);

    Room.Decision again = room.decide(A, List.of(proposal(1, 0, put("k", "2"))), 0);

    assertEquals(List.of(new Outcome.Accepted(1, 1)), again.outcomes());
    assertEquals(Map.of("k", new Json("1")), room.state().values());
  }

  @Test
  void batchMixingResentAndNewChangesAppliesOnlyTheNewOnes() {
    room.decide(A, List.of(proposal(1, 0, put("k", "1")), proposal(2, 0, put("j", "1"))), 0);

    Room.Decision d = room.decide(A, List.of(
        proposal(1, 0, put("k", "1")), proposal(2, 0, put("j", "1")),
        proposal(3, 0, put("i", "1"))), 0);

    assertEquals(List.of(new Outcome.Accepted(1, 1), new Outcome.Accepted(2, 2),
        new Outcome.Accepted(3, 3)), d.outcomes());
    assertEquals(List.of(3L), d.accepted().stream().map(Op::seq).toList());
  }

  @Test
  void resentConflictGetsItsOriginalRejectionEvenIfItWouldNowBeAccepted() {
    Room fww = new Room("r", RoomConfig.DEFAULT.withPolicy(ConflictPolicy.FIRST_WRITER_WINS), "e");
    fww.decide(A, List.of(proposal(1, 0, put("k", "1"))), 0);
    Outcome rejected = fww.decide(B, List.of(proposal(1, 0, put("k", "2"))), 0).outcomes().get(0);
    fww.decide(A, List.of(proposal(2, 1, put("k", null))), 0);

    Outcome again = fww.decide(B, List.of(proposal(1, 0, put("k", "2"))), 0).outcomes().get(0);

    assertInstanceOf(Outcome.Rejected.class, again);
    assertEquals(rejected, again);
    assertEquals(2, fww.head().seq());
  }

  @Test
  void differentClientsWithTheSameLocalSeqAreIndependent() {
    Outcome a = room.decide(A, List.of(proposal(1, 0, put("a", "1"))), 0).outcomes().get(0);
    Outcome b = room.decide(B, List.of(proposal(1, 0, put("b", "1"))), 0).outcomes().get(0);

    assertEquals(new Outcome.Accepted(1, 1), a);
    assertEquals(new Outcome.Accepted(1, 2), b);
    assertEquals(2, room.state().size());
  }

  @Test
  void resendAfterRecoveryFromRetainedOpsGetsTheOriginalAck() {
    room.decide(A, List.of(proposal(1, 0, put("a", "1")), proposal(2, 0, put("a", "2"))), 10);
    room.decide(B, List.of(proposal(1, 0, put("b", "1"))), 20);

    Room recovered = recover(room);
    Room.Decision again = recovered.decide(A, List.of(
        proposal(2, 0, put("a", "2")), proposal(3, 2, put("a", "3"))), 30);
    Room.Decision bAgain = recovered.decide(B, List.of(proposal(1, 0, put("b", "1"))), 30);

    assertEquals(List.of(new Outcome.Accepted(2, 2), new Outcome.Accepted(3, 4)), again.outcomes());
    assertEquals(List.of(new Outcome.Accepted(1, 3)), bAgain.outcomes());
    assertEquals(4, recovered.head().seq());
    assertEquals(Map.of("a", new Json("3"), "b", new Json("1")), recovered.state().values());
  }

  @Test
  void recoveredRoomKeepsItsEpochHeadStateAndSeal() {
    room.decide(A, List.of(proposal(1, 0, put("a", "1"))), 0);
    room.seal();

    Room recovered = recover(room);

    assertEquals(room.head(), recovered.head());
    assertEquals(room.state().entries(), recovered.state().entries());
    assertTrue(recovered.sealed());
  }

  static Room recover(Room from) {
    return Room.recover(from.name(), from.config(), from.epoch(), from.head().seq(),
        from.state().entries(), new ArrayList<>(from.retained()), List.of(), from.sealed());
  }
}
