package dev.livestate.testkit.store;

import static dev.livestate.testkit.store.TestOps.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.livestate.op.Op;
import dev.livestate.room.LedgerEntry;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.StoredRoom;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link StoreContract} about a room's resend ledger (decision 007): each
 * client's decisions, acks and refusals, kept with the ops of their batch but apart from the
 * ops' history, and forgotten only through the points a room appends.
 */
public abstract class StoreLedgerContract extends StoreReloadContract {

  /** The ledger a room recovered with, one line per entry, sorted. */
  protected static List<String> ledger(StoredRoom room) {
    List<String> lines = new ArrayList<>();
    for (LedgerEntry e : room.ledger()) {
      if (e instanceof LedgerEntry.Forgotten f) {
        lines.add(f.clientId() + " forgotten through " + f.throughLocalSeq());
      } else if (((LedgerEntry.Decided) e).outcome() instanceof Outcome.Accepted a) {
        lines.add(e.clientId() + " " + a.localSeq() + " acked as " + a.seq());
      } else {
        Outcome.Rejected r = (Outcome.Rejected) ((LedgerEntry.Decided) e).outcome();
        lines.add(e.clientId() + " " + r.localSeq() + " refused " + r.reason().code() + ": "
            + r.message() + " " + r.winners());
      }
    }
    return lines.stream().sorted().toList();
  }

  private static LedgerEntry ack(String client, long localSeq, long seq) {
    return new LedgerEntry.Decided(client, new Outcome.Accepted(localSeq, seq));
  }

  @Test
  void anAppendKeepsTheAcksOfItsOpsAndTheyOutliveTheOps() throws Exception {
    create("r");
    List<Op> ops = List.of(put(1, "alice", "k", "1"), put(2, "bob", "k", "2"));
    ok(c -> store.append("r", ops, c));
    store.trim("r", 2);

    StoredRoom r = recovered(NOW).get("r");

    assertEquals(List.of(), r.recentOps());
    assertEquals(List.of("alice 10 acked as 1", "bob 20 acked as 2"), ledger(r));
  }

  @Test
  void refusalsAreKeptWithTheirCodeAndMessageByAnAppendOfNoOps() throws Exception {
    create("r");
    Outcome.Rejected refused = new Outcome.Rejected(7, Rejection.NOT_LEADER, "room is led by x",
        Map.of());
    ok(c -> store.append("r", List.of(), List.of(new LedgerEntry.Decided("alice", refused)), c));
    ok(c -> store.append("r", List.of(), List.of(new LedgerEntry.Decided("bob",
        new Outcome.Rejected(1, Rejection.READER, "readers cannot write", Map.of()))), c));

    StoredRoom r = recovered(NOW).get("r");

    assertEquals(0, r.head());
    assertEquals(List.of("alice 7 refused not_leader: room is led by x {}",
        "bob 1 refused forbidden: readers cannot write {}"), ledger(r));
  }

  @Test
  void aClientsDecisionsAreForgottenThroughAPointAndThePointIsKept() throws Exception {
    create("r");
    List<LedgerEntry> decided = new ArrayList<>();
    for (long localSeq = 1; localSeq <= 5; localSeq++) {
      decided.add(ack("alice", localSeq, localSeq));
    }
    decided.add(ack("bob", 1, 6));
    ok(c -> store.append("r", List.of(), decided, c));
    ok(c -> store.append("r", List.of(), List.of(new LedgerEntry.Forgotten("alice", 3),
        ack("alice", 6, 7)), c));

    StoredRoom r = recovered(NOW).get("r");

    assertEquals(List.of("alice 4 acked as 4", "alice 5 acked as 5", "alice 6 acked as 7",
        "alice forgotten through 3", "bob 1 acked as 6"), ledger(r));
  }

  @Test
  void aPointAppendedAfterDecisionsInOneBatchForgetsThemToo() throws Exception {
    create("r");
    ok(c -> store.append("r", List.of(), List.of(ack("alice", 1, 1), ack("alice", 2, 2),
        new LedgerEntry.Forgotten("alice", 1)), c));
    ok(c -> store.append("r", List.of(), List.of(new LedgerEntry.Forgotten("alice", 2)), c));

    assertEquals(List.of("alice forgotten through 2"), ledger(recovered(NOW).get("r")));
  }

  @Test
  void anAppendThatFailsKeepsNoneOfItsLedger() throws Exception {
    create("r");
    assertNotNull(fails(c -> store.append("r", List.of(put(2, "alice", "k", "1")),
        List.of(ack("alice", 20, 2), new LedgerEntry.Forgotten("alice", 5)), c)));

    assertEquals(List.of(), ledger(recovered(NOW).get("r")));
  }

  @Test
  void creatingARoomAgainOrDeletingItDropsItsLedger() throws Exception {
    create("r");
    create("gone");
    for (String room : List.of("r", "gone")) {
      ok(c -> store.append(room, List.of(put(1, "alice", "k", "1")),
          List.of(ack("alice", 10, 1), new LedgerEntry.Forgotten("alice", 3)), c));
    }
    create("r");
    ok(c -> store.delete("gone", c));
    create("gone");

    Map<String, StoredRoom> rooms = recovered(NOW);
    assertEquals(List.of(), ledger(rooms.get("r")));
    assertEquals(List.of(), ledger(rooms.get("gone")));
  }

  @Test
  void aRoomCreatedAgainRightAfterAForgettingKeepsWhatItRecordsItself() throws Exception {
    create("r");
    create("d");
    // queued without waiting, so that they most often share one commit
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (String room : List.of("r", "d")) {
      writes.add(committed(c -> store.append(room, List.of(),
          List.of(ack("alice", 4, 1), new LedgerEntry.Forgotten("alice", 5)), c)));
    }
    writes.add(committed(c -> store.create("r", RoomConfig.DEFAULT, "epoch-2", c)));
    writes.add(committed(c -> store.delete("d", c)));
    writes.add(committed(c -> store.create("d", RoomConfig.DEFAULT, "epoch-2", c)));
    for (String room : List.of("r", "d")) {
      writes.add(committed(c -> store.append(room, List.of(), List.of(ack("alice", 1, 1)), c)));
    }
    for (CompletableFuture<Void> write : writes) {
      write.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    Map<String, StoredRoom> rooms = recovered(NOW);
    assertEquals(List.of("alice 1 acked as 1"), ledger(rooms.get("r")));
    assertEquals(List.of("alice 1 acked as 1"), ledger(rooms.get("d")));
  }
}
