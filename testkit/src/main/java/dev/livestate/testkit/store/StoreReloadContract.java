package dev.livestate.testkit.store;

import static dev.livestate.testkit.store.TestOps.json;
import static dev.livestate.testkit.store.TestOps.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.livestate.op.Op;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.StreamMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link StoreContract} a room leans on when a write failed: what it loads back
 * from its store is what a restart would recover, a write for a room the store does not hold
 * fails rather than being acked and dropped, and a probe says whether the store takes writes.
 */
public abstract class StoreReloadContract extends StoreFixture {

  /** What {@link dev.livestate.store.Store#load} answers for {@code room}. */
  protected StoredRoom load(String room, long now) throws Exception {
    return load(store, room, now);
  }

  @Test
  void aLoadedRoomIsWhatARestartWouldRecover() throws Exception {
    for (String room : List.of("r", "other")) {
      create(room);
      ok(c -> store.append(room, List.of(put(1, "w", "a", "1"), put(2, "v", "b", "2")), c));
      ok(c -> store.append(room, List.of(put(3, "w", "a", null)), c));
      ok(c -> store.putAttribute(room, "x", json("\"" + room + "\""), c));
      ok(c -> store.publish(room, new StreamMessage(1, NOW, LATER, json("1")), c));
      ok(c -> store.publish(room, new StreamMessage(2, NOW, NOW, json("2")), c));
    }

    StoredRoom loaded = load("r", NOW);

    assertEquals(recovered(NOW).get("r"), loaded);
    assertEquals(1, loaded.stream().size(), "messages expired by then are left out");
  }

  @Test
  void aLoadSeesEveryWriteCalledBeforeIt() throws Exception {
    create("r");
    List<Op> ops = List.of(put(1, "w", "a", "1"), put(2, "w", "a", "2"));
    store.append("r", ops.subList(0, 1), failure -> { });
    store.append("r", ops.subList(1, 2), failure -> { });

    StoredRoom loaded = load("r", NOW);

    assertEquals(2, loaded.head());
    assertEquals(ops, loaded.recentOps());
  }

  /**
   * What a relaying node reads: at least the ops after a seq, with the room's head, epoch and
   * attributes as a whole load has them; state, stream and ledger it may leave out.
   */
  @Test
  void aLoadAfterASeqHoldsTheOpsAfterItAndTheRoomsHeadAndAttributes() throws Exception {
    create("r");
    List<Op> ops = List.of(put(1, "w", "a", "1"), put(2, "v", "b", "2"), put(3, "w", "a", null));
    ok(c -> store.append("r", ops, c));
    ok(c -> store.putAttribute("r", "x", json("\"y\""), c));
    StoredRoom whole = load("r", NOW);

    for (long after = 0; after <= 3; after++) {
      StoredRoom tail = loadAfter(store, "r", after, NOW);
      long seq = after;
      assertEquals(ops.subList((int) after, 3),
          tail.recentOps().stream().filter(op -> op.seq() > seq).toList(), "after " + after);
      assertEquals(List.of(whole.name(), whole.epoch(), whole.head(), whole.config()),
          List.of(tail.name(), tail.epoch(), tail.head(), tail.config()));
      assertEquals(whole.attributes(), tail.attributes());
    }
    ok(c -> store.delete("r", c));
    assertNull(loadAfter(store, "r", 0, NOW));
  }

  @Test
  void aRoomTheStoreDoesNotHoldLoadsAsNothing() throws Exception {
    create("r");
    ok(c -> store.delete("r", c));

    assertNull(load("r", NOW));
    assertNull(load("never", NOW));
  }

  @Test
  void attributesAndMessagesForARoomTheStoreDoesNotHoldFail() throws Exception {
    assertNotNull(fails(c -> store.putAttribute("nowhere", "a", json("1"), c)));
    assertNotNull(fails(c -> store.putAttribute("nowhere", "a", null, c)));
    assertNotNull(fails(c -> store.publish("nowhere", new StreamMessage(1, NOW, LATER,
        json("1")), c)));
    create("r");
    ok(c -> store.putAttribute("r", "a", json("1"), c));

    assertFalse(store.failing(), "refusing a write alone is not the store failing");
    assertFalse(recovered(NOW).containsKey("nowhere"));
  }

  @Test
  void aProbeCommitsAndTheStoreIsNotFailing() throws Exception {
    ok(store::probe);
    ok(store::probe);

    assertFalse(store.failing());
  }
}
