package dev.livestate.testkit.store;

import static dev.livestate.testkit.store.TestOps.fold;
import static dev.livestate.testkit.store.TestOps.inOrder;
import static dev.livestate.testkit.store.TestOps.json;
import static dev.livestate.testkit.store.TestOps.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Op;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link StoreContract} about a store's second life: after every restart a server
 * reopens its store, recovers it and goes on writing to the rooms it found, so everything a store
 * does must work as well on a recovered room as on one created by this process. And a room that
 * was deleted stays deleted, whatever writes for it were still on their way.
 */
public abstract class StoreRestartContract extends StoreLedgerContract {

  @Test
  void recoveredRoomsTakeEveryKindOfWriteAfterReopen() throws Exception {
    create("r");
    create("empty");
    List<Op> ops = new ArrayList<>();
    for (int seq = 1; seq <= 5; seq++) {
      ops.add(put(seq, "w" + seq % 2, "k" + seq % 3, String.valueOf(seq)));
    }
    StreamMessage first = new StreamMessage(1, NOW, LATER, json("{\"m\":1}"));
    ok(c -> store.append("r", ops.subList(0, 3), c));
    ok(c -> store.putAttribute("r", "a", json("1"), c));
    ok(c -> store.putAttribute("r", "b", json("2"), c));
    ok(c -> store.publish("r", first, c));
    assertEquals(3, recovered(NOW).get("r").head());

    // Sent without waiting, as a recovered engine does, so they share the first groups.
    StreamMessage second = new StreamMessage(2, NOW + 1, LATER, json("{\"m\":2}"));
    Op firstOfEmpty = put(1, "v", "e", "\"e\"");
    List<CompletableFuture<Void>> acks = List.of(
        committed(c -> store.append("r", ops.subList(3, 4), c)),
        committed(c -> store.append("r", ops.subList(4, 5), c)),
        committed(c -> store.append("empty", List.of(firstOfEmpty), c)),
        committed(c -> store.putAttribute("r", "a", json("9"), c)),
        committed(c -> store.putAttribute("r", "b", null, c)),
        committed(c -> store.putAttribute("r", "c", json("3"), c)),
        committed(c -> store.publish("r", second, c)));
    for (CompletableFuture<Void> ack : acks) {
      ack.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    assertNotNull(fails(c -> store.append("r", List.of(put(5, "w", "k", "1")), c)),
        "the recovered head is 5, so a second seq 5 is refused");
    store.trim("r", 2);

    Map<String, StoredRoom> rooms = recovered(NOW);
    StoredRoom r = rooms.get("r");
    assertEquals(5, r.head());
    assertEquals(ops.subList(2, 5), r.recentOps());
    assertEquals(inOrder(fold(ops)), inOrder(r.entries()));
    assertEquals(Map.of("a", json("9"), "c", json("3")), r.attributes());
    assertEquals(List.of(first, second), r.stream());
    assertEquals("epoch-r", r.epoch());
    StoredRoom empty = rooms.get("empty");
    assertEquals(1, empty.head());
    assertEquals(List.of(firstOfEmpty), empty.recentOps());
  }

  @Test
  void aStoreReopenedTwiceGoesOnWhereItLeftOff() throws Exception {
    create("r");
    List<Op> ops = new ArrayList<>();
    for (int seq = 1; seq <= 3; seq++) {
      ops.add(put(seq, "w", "k" + seq, String.valueOf(seq)));
    }
    for (Op op : ops) {
      ok(c -> store.append("r", List.of(op), c));
      assertEquals(op.seq(), recovered(NOW).get("r").head());
    }
    StoredRoom r = recovered(NOW).get("r");
    assertEquals(ops, r.recentOps());
    assertEquals(inOrder(fold(ops)), inOrder(r.entries()));
  }

  @Test
  void expireAndDeleteReachRowsWrittenBeforeReopen() throws Exception {
    create("r");
    create("s");
    StreamMessage soon = new StreamMessage(1, NOW, NOW + 10, json("1"));
    StreamMessage live = new StreamMessage(2, NOW, LATER, json("2"));
    ok(c -> store.publish("r", soon, c));
    ok(c -> store.publish("r", live, c));
    ok(c -> store.append("s", List.of(put(1, "w", "k", "1")), c));
    ok(c -> store.putAttribute("s", "a", json("1"), c));
    ok(c -> store.publish("s", live, c));
    assertEquals(2, recovered(NOW).get("r").stream().size());

    store.expire(NOW + 10);
    ok(c -> store.delete("s", c));

    Map<String, StoredRoom> rooms = recovered(0);
    assertEquals(List.of("r"), List.copyOf(rooms.keySet()));
    assertEquals(List.of(live), rooms.get("r").stream(), "purged, not only hidden at recovery");
    create("s");
    StoredRoom again = recovered(0).get("s");
    assertEquals(0, again.head());
    assertTrue(again.entries().isEmpty() && again.recentOps().isEmpty()
        && again.attributes().isEmpty() && again.stream().isEmpty());
  }

  @Test
  void writesForADeletedRoomDoNotBringItBack() throws Exception {
    create("gone");
    create("kept");
    ok(c -> store.append("gone", List.of(put(1, "w", "k", "1")), c));
    ok(c -> store.append("kept", List.of(put(1, "w", "k", "1")), c));
    // Queued behind the delete (most often into its group), then after it, then after a restart.
    CompletableFuture<Void> deleted = committed(c -> store.delete("gone", c));
    List<CompletableFuture<Void>> late = new ArrayList<>(writesTo("gone", 2));
    deleted.get(WAIT_SECONDS, TimeUnit.SECONDS);
    late.addAll(writesTo("gone", 3));
    for (CompletableFuture<Void> write : late) {
      settled(write);
    }
    assertFalse(recovered(NOW).containsKey("gone"));
    for (CompletableFuture<Void> write : writesTo("gone", 4)) {
      settled(write);
    }

    Map<String, StoredRoom> rooms = recovered(NOW);
    assertEquals(List.of("kept"), List.copyOf(rooms.keySet()));
    assertEquals(1, rooms.get("kept").head());
  }

  /**
   * An append, a publish and attribute writes for {@code room}, as a client's late messages
   * would make them; whether their callbacks report success is not part of this contract.
   */
  protected List<CompletableFuture<Void>> writesTo(String room, long n) {
    return List.of(
        committed(c -> store.append(room, List.of(put(n, "late", "k", String.valueOf(n))), c)),
        committed(c -> store.append(room, List.of(put(1, "late", "k", "1")), c)),
        committed(c -> store.publish(room, new StreamMessage(n, NOW, LATER, json("1")), c)),
        committed(c -> store.putAttribute(room, "a" + n, json("1"), c)),
        committed(c -> store.putAttribute(room, "a" + n, null, c)),
        committed(c -> store.putAttribute(room, "b" + n, json("2"), c)));
  }
}
