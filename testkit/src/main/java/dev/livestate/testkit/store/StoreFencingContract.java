package dev.livestate.testkit.store;

import static dev.livestate.testkit.store.TestOps.json;
import static dev.livestate.testkit.store.TestOps.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Op;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.StreamMessage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fencing (decision 015) for a store that several nodes share: {@link #store} is one node's,
 * {@link #otherNode()} another's on the same data. Whoever fenced a room last with the larger
 * generation is the only one whose writes of it commit, and it continues the room's log from
 * what is stored, whatever its own store saw before.
 */
public abstract class StoreFencingContract extends StoreFixture {
  private Store other;

  /** A store of another node over the same data as {@link #store}. */
  protected abstract Store openOther() throws Exception;

  private Store otherNode() throws Exception {
    if (other == null) {
      other = openOther();
    }
    return other;
  }

  @AfterEach
  void closeOther() {
    if (other != null) {
      other.close();
    }
  }

  private static List<Long> seqs(StoredRoom room) {
    return room.recentOps().stream().map(Op::seq).toList();
  }

  @Test
  void anOwnerThatLostTheRoomCommitsNothingMoreAndItsStoreKeepsWorking() throws Exception {
    Store a = store;
    ok(c -> a.fence("r", 1, c));
    ok(c -> a.create("r", RoomConfig.DEFAULT, "e", c));
    ok(c -> a.append("r", List.of(put(1, "a", "k", "1")), c));

    Store b = otherNode();
    ok(c -> b.fence("r", 2, c));
    ok(c -> b.append("r", List.of(put(2, "b", "k", "2")), c));

    // a was paused past its lease: what it still had to write is refused, every kind of write
    Throwable refused = fails(c -> a.append("r", List.of(put(2, "a", "k", "stale")), c));
    assertTrue(refused.getMessage().contains("later owner"), refused.getMessage());
    fails(c -> a.putAttribute("r", "x", json("1"), c));
    fails(c -> a.publish("r", new StreamMessage(1, NOW, LATER, json("1")), c));
    fails(c -> a.create("r", RoomConfig.DEFAULT, "new epoch", c));
    fails(c -> a.delete("r", c));
    assertFalse(a.failing(), "a refused write is the write's fault, not the database's");
    ok(c -> a.create("another", RoomConfig.DEFAULT, "e", c));

    StoredRoom stored = load(b, "r", NOW);
    assertEquals(2, stored.head());
    assertEquals(List.of(1L, 2L), seqs(stored));
    assertEquals("e", stored.epoch());
    assertEquals(json("2"), stored.entries().get("k").value());
    assertTrue(stored.attributes().isEmpty() && stored.stream().isEmpty(), stored.toString());
  }

  @Test
  void aFenceBelowTheRoomsGenerationIsRefusedAndChangesNothing() throws Exception {
    Store b = otherNode();
    ok(c -> b.fence("r", 5, c));
    ok(c -> b.create("r", RoomConfig.DEFAULT, "e", c));

    Throwable refused = fails(c -> store.fence("r", 4, c));
    assertTrue(refused.getMessage().contains("later owner"), refused.getMessage());
    fails(c -> store.fence("r", 5, c)); // the same generation is another claim's
    ok(c -> b.append("r", List.of(put(1, "b", "k", "1")), c));
    assertEquals(1, load(store, "r", NOW).head());
  }

  @Test
  void aNodeThatTakesARoomBackContinuesTheLogOthersWroteMeanwhile() throws Exception {
    Store a = store;
    Store b = otherNode();
    ok(c -> a.fence("r", 1, c));
    ok(c -> a.create("r", RoomConfig.DEFAULT, "e", c));
    ok(c -> a.append("r", List.of(put(1, "a", "k", "1")), c));

    ok(c -> b.fence("r", 2, c));
    ok(c -> b.append("r", List.of(put(2, "b", "k", "2"), put(3, "b", "k", "3")), c));

    // a saw the room at seq 1; it owns it again and goes on from what b wrote
    ok(c -> a.fence("r", 3, c));
    ok(c -> a.append("r", List.of(put(4, "a", "k", "4")), c));
    Throwable gap = fails(c -> a.append("r", List.of(put(6, "a", "k", "6")), c));
    assertTrue(gap.getMessage().contains("gap"), gap.getMessage());
    fails(c -> b.append("r", List.of(put(5, "b", "k", "5")), c));

    StoredRoom stored = load(b, "r", NOW);
    assertEquals(List.of(1L, 2L, 3L, 4L), seqs(stored));
    assertEquals(json("4"), stored.entries().get("k").value());
  }

  @Test
  void aFencedRoomNewlyCreatedHoldsItsOwnersGeneration() throws Exception {
    Store a = store;
    Store b = otherNode();
    ok(c -> a.fence("new", 7, c));
    ok(c -> a.create("new", RoomConfig.DEFAULT, "e", c));

    Throwable refused = fails(c -> b.fence("new", 6, c));
    assertTrue(refused.getMessage().contains("later owner"), refused.getMessage());
    ok(c -> b.fence("new", 8, c));
    fails(c -> a.append("new", List.of(put(1, "a", "k", "1")), c));
  }
}
