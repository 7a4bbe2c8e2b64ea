package dev.livestate.room;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.op.Proposal;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.Fast;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A room remembers the last {@link Room#LEDGER_PER_CLIENT} decisions of each client, so its
 * memory stays bounded however long a client writes: a resend of anything older is decided
 * again, as if new.
 */
@Fast
class LedgerBoundTest {
  private static final int BOUND = Room.LEDGER_PER_CLIENT;
  private static final Writer A = Writer.of("a");
  private static final Writer B = Writer.of("b");

  private final Room room = new Room("r", RoomConfig.DEFAULT, "e");

  /** Client a's changes numbered from..to, each setting its own key; all accepted. */
  private void write(Writer w, long from, long to) {
    List<Proposal> batch = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      batch.add(proposal(i, room.head().seq(), put(w.clientId() + i, "1")));
    }
    room.decide(w, batch, 0);
  }

  private Outcome resend(Writer w, long localSeq) {
    return room.decide(w, List.of(proposal(localSeq, 0, put(w.clientId() + localSeq, "1"))), 0)
        .outcomes().get(0);
  }

  @Test
  void exactlyTheBoundIsRememberedInFull() {
    write(A, 1, BOUND);

    assertEquals(new Outcome.Accepted(1, 1), resend(A, 1), "the oldest is still answered");
    assertEquals(BOUND, room.head().seq(), "and not applied again");
  }

  @Test
  void pastTheBoundTheOldestDecisionsAreForgottenAndRecentOnesStillAnswered() {
    write(A, 1, BOUND + 2);

    assertEquals(new Outcome.Accepted(BOUND + 2, BOUND + 2), resend(A, BOUND + 2));
    assertEquals(new Outcome.Accepted(3, 3), resend(A, 3), "the oldest still remembered");
    assertEquals(BOUND + 2, room.head().seq());

    assertEquals(new Outcome.Accepted(1, BOUND + 3), resend(A, 1), "forgotten: decided anew");
    assertEquals(BOUND + 3, room.head().seq());
  }

  @Test
  void theBoundIsPerClient() {
    write(B, 1, 1);
    write(A, 1, BOUND + 1);

    assertEquals(new Outcome.Accepted(1, 1), resend(B, 1), "b's one decision is not crowded out");
  }
}
