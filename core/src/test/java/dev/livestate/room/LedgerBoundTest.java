package dev.livestate.room;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Proposal;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import dev.livestate.testkit.Fast;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A room remembers at most {@link Room#LEDGER_PER_CLIENT} decisions of each client, so its
 * memory (and its store) stay bounded however long a client writes; and none at or below what
 * the client confirmed it saw. A resend of anything it forgot is refused as forgotten: never
 * applied twice, never decided anew (decision 007).
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
  }

  @Test
  void aResendOfTheFirstChangeAfterMoreThanTheBoundIsRefusedNotAppliedAgain() {
    write(A, 1, BOUND + 50);

    Outcome.Rejected first = assertInstanceOf(Outcome.Rejected.class, resend(A, 1));
    assertEquals(Rejection.FORGOTTEN, first.reason());
    assertTrue(first.message().contains("new localSeq"), first.message());
    assertEquals(Rejection.FORGOTTEN, ((Outcome.Rejected) resend(A, 50)).reason(),
        "the last one pushed out");
    assertEquals(BOUND + 50, room.head().seq(), "nothing applied again");
    assertEquals(new Outcome.Accepted(51, 51), resend(A, 51), "the oldest kept");
  }

  @Test
  void whatTheClientConfirmsItSawIsForgottenAndItsResendRefused() {
    write(A, 1, 5);
    Room.Decision next = room.decide(A, List.of(proposal(6, 5, put("a6", "1"))), 3, 0);

    assertEquals(new Outcome.Accepted(6, 6), next.outcomes().get(0));
    assertEquals(List.of(new LedgerEntry.Decided("a", new Outcome.Accepted(6, 6)),
        new LedgerEntry.Forgotten("a", 3)), next.ledger(), "what the store is to keep");
    assertEquals(Rejection.FORGOTTEN, ((Outcome.Rejected) resend(A, 3)).reason());
    assertEquals(new Outcome.Accepted(4, 4), resend(A, 4), "above what it confirmed");
    assertEquals(6, room.head().seq());
  }

  @Test
  void aConfirmationNeverBringsForgottenDecisionsBack() {
    write(A, 1, 5);
    room.decide(A, List.of(), 4, 0);

    Room.Decision lower = room.decide(A, List.of(proposal(2, 0, put("x", "1"))), 1, 0);

    assertEquals(Rejection.FORGOTTEN, ((Outcome.Rejected) lower.outcomes().get(0)).reason());
    assertEquals(List.of(), lower.ledger(), "a refusal as forgotten is no decision to keep");
  }

  @Test
  void theLedgerIsRebuiltFromWhatTheStoreKeptWhateverTheOrder() {
    write(A, 1, 5);
    room.decide(A, List.of(), 2, 0);
    List<LedgerEntry> kept = List.of(
        new LedgerEntry.Decided("a", new Outcome.Accepted(1, 1)),
        new LedgerEntry.Decided("a", new Outcome.Accepted(4, 4)),
        new LedgerEntry.Forgotten("a", 2),
        new LedgerEntry.Decided("a", new Outcome.Accepted(2, 2)),
        new LedgerEntry.Decided("a", new Outcome.Accepted(5, 5)));

    Room recovered = Room.recover("r", RoomConfig.DEFAULT, "e", 5, room.state().entries(),
        List.of(), kept, false);

    Outcome.Rejected one = (Outcome.Rejected) recovered.decide(A,
        List.of(proposal(1, 0, put("a1", "1"))), 0).outcomes().get(0);
    assertEquals(Rejection.FORGOTTEN, one.reason(), "a decision below the floor stays forgotten");
    assertEquals(Rejection.FORGOTTEN, ((Outcome.Rejected) recovered.decide(A,
        List.of(proposal(2, 0, put("a2", "1"))), 0).outcomes().get(0)).reason(), "and at it");
    assertEquals(List.of(new Outcome.Accepted(4, 4), new Outcome.Accepted(5, 5)),
        recovered.decide(A, List.of(proposal(4, 0, put("x", "1")),
            proposal(5, 0, put("y", "1"))), 0).outcomes());
    assertEquals(5, recovered.head().seq());
  }

  @Test
  void theBoundIsPerClient() {
    write(B, 1, 1);
    write(A, 1, BOUND + 1);

    assertEquals(new Outcome.Accepted(1, 1), resend(B, 1), "b's one decision is not crowded out");
  }
}
