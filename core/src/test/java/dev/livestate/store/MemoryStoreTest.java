package dev.livestate.store;

import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.LedgerEntry;
import dev.livestate.room.RoomConfig;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import dev.livestate.testkit.Fast;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The memory store's own bookkeeping, beside the contract suite the testkit runs on it: its
 * history bound in bytes, its resend ledger, and what it answers for rooms it does not hold.
 */
@Fast
class MemoryStoreTest {
  /** An op of about 1,100 bytes: 100 + "w" + "k" + 1,000. */
  private static final long OP_BYTES = 1_102;

  private final MemoryStore store = new MemoryStore();

  private static Op op(long seq) {
    return new Op(seq, "w", seq, 0, 0, put("k", "\"" + "v".repeat(998) + "\""));
  }

  private static Throwable outcome(Consumer<Store.Commit> write) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    write.accept(failure::set);
    return failure.get();
  }

  private StoredRoom loaded(String room, long now) {
    AtomicReference<StoredRoom> found = new AtomicReference<>();
    store.load(room, now, (r, failure) -> found.set(r));
    return found.get();
  }

  private static List<Long> seqs(StoredRoom r) {
    return r.recentOps().stream().map(Op::seq).toList();
  }

  @Test
  void historyKeepsExactlyTheOpsWhoseBytesFitTheBound() {
    store.create("r", RoomConfig.DEFAULT.withRetainBytes(3 * OP_BYTES), "e", f -> { });
    assertEquals(OP_BYTES, op(1).textSize());

    assertNull(outcome(c -> store.append("r", List.of(op(1), op(2), op(3)), c)));
    assertEquals(List.of(1L, 2L, 3L), seqs(loaded("r", 0)), "exactly the bound: all kept");
    assertNull(outcome(c -> store.append("r", List.of(op(4)), c)));
    assertEquals(List.of(2L, 3L, 4L), seqs(loaded("r", 0)));

    store.trim("r", 3);
    assertNull(outcome(c -> store.append("r", List.of(op(5), op(6)), c)));
    assertEquals(List.of(4L, 5L, 6L), seqs(loaded("r", 0)), "a trim gives its bytes back");
  }

  @Test
  void historyKeepsExactlyTheNumberOfOpsItsConfigSays() {
    store.create("r", RoomConfig.DEFAULT.withRetention(3, Duration.ZERO), "e", f -> { });
    assertNull(outcome(c -> store.append("r", List.of(op(1), op(2), op(3)), c)));
    assertEquals(List.of(1L, 2L, 3L), seqs(loaded("r", 0)), "exactly the bound: all kept");
    assertNull(outcome(c -> store.append("r", List.of(op(4)), c)));
    assertEquals(List.of(2L, 3L, 4L), seqs(loaded("r", 0)));
  }

  @Test
  void anAppendWithAGapInsideItsBatchFailsWhole() {
    store.create("r", RoomConfig.DEFAULT, "e", f -> { });

    Throwable gap = outcome(c -> store.append("r", List.of(op(1), op(3)), c));
    assertEquals("gap: head 1, op 3", gap.getMessage(), "it says where the gap is");
    assertEquals(0, loaded("r", 0).head(), "nothing of it applied");
    assertNull(outcome(c -> store.append("r", List.of(op(1), op(2)), c)));
    assertEquals(2, loaded("r", 0).head());
  }

  @Test
  void theLedgerKeepsDecisionsAboveEachClientsFloorAndTheFloors() {
    store.create("r", RoomConfig.DEFAULT, "e", f -> { });
    Outcome.Rejected refused = new Outcome.Rejected(3, Rejection.SEALED, "sealed", Map.of());

    store.append("r", List.of(op(1)), f -> { });
    store.append("r", List.of(), List.of(new LedgerEntry.Decided("w", refused),
        new LedgerEntry.Decided("v", new Outcome.Accepted(9, 1)),
        new LedgerEntry.Forgotten("w", 2)), f -> { });
    store.append("r", List.of(), List.of(new LedgerEntry.Forgotten("v", 1)), f -> { });

    assertEquals(List.of(new LedgerEntry.Forgotten("w", 2), new LedgerEntry.Forgotten("v", 1),
        new LedgerEntry.Decided("w", refused), new LedgerEntry.Decided("v",
            new Outcome.Accepted(9, 1))).stream().map(Object::toString).sorted().toList(),
        loaded("r", 0).ledger().stream().map(Object::toString).sorted().toList(),
        "w's ack of op 1 (localSeq 1) is forgotten, its refusal at 3 kept; v's 9 is above 1");
  }

  @Test
  void anAppendOfOpsAloneRecordsTheirAcks() {
    store.create("r", RoomConfig.DEFAULT, "e", f -> { });

    store.append("r", List.of(op(1), op(2)), f -> { });

    assertEquals(List.of(new LedgerEntry.Decided("w", new Outcome.Accepted(1, 1)),
        new LedgerEntry.Decided("w", new Outcome.Accepted(2, 2))), loaded("r", 0).ledger());
  }

  @Test
  void aLoadLeavesOutExpiredMessagesAndARoomItDoesNotHold() {
    store.create("r", RoomConfig.DEFAULT, "e", f -> { });
    store.publish("r", new StreamMessage(1, 0, 100, new Json("1")), f -> { });
    store.publish("r", new StreamMessage(2, 0, 300, new Json("2")), f -> { });

    assertEquals(List.of(2L), loaded("r", 200).stream().stream().map(StreamMessage::id).toList());
    assertNull(loaded("nowhere", 0));
  }

  @Test
  void memoryNeverFailsAndAProbeCommitsAtOnce() {
    assertNull(outcome(store::probe));
    assertFalse(store.failing());
    List<Throwable> failures = new ArrayList<>();
    store.putAttribute("nowhere", "a", new Json("1"), failures::add);
    store.publish("nowhere", new StreamMessage(1, 0, 1, new Json("1")), failures::add);
    assertEquals(2, failures.stream().filter(f -> f != null).count());
  }

  @Test
  void everyRejectionIsFoundByItsCode() {
    for (Rejection r : Rejection.values()) {
      assertEquals(r, Rejection.ofCode(r.code()));
    }
    assertThrows(IllegalArgumentException.class,
        () -> Rejection.ofCode("nonsense"));
  }
}
