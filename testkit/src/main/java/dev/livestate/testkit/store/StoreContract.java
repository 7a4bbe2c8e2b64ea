package dev.livestate.testkit.store;

import static dev.livestate.testkit.store.TestOps.fold;
import static dev.livestate.testkit.store.TestOps.inOrder;
import static dev.livestate.testkit.store.TestOps.json;
import static dev.livestate.testkit.store.TestOps.op;
import static dev.livestate.testkit.store.TestOps.put;
import static dev.livestate.testkit.store.TestOps.randomOp;
import static dev.livestate.testkit.store.TestOps.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.LedgerEntry;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Takeover;
import dev.livestate.room.WriteAccess;
import dev.livestate.state.Entry;
import dev.livestate.state.State;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.StreamMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The {@link Store} contract, run against every store by a short subclass. Each test gets an
 * empty store from {@link #open()}; it checks what a store holds by {@link #reopen() reopening}
 * it and recovering, as a restarted server would. This class holds what a room's ops and state
 * must be; {@link StoreDataContract} what else a room keeps and how exactly, and
 * {@link StoreRestartContract} what a store must do after a restart.
 */
public abstract class StoreContract extends StoreDataContract {

  @Test
  void appendedOpsAreRecoveredWithStateAndHead() throws Exception {
    create("r");
    Op one = put(1, "alice", "k1", "1", "k2", "\"x\"");
    Op two = put(2, "bob", "k1", "2");
    Op three = put(3, "alice", "k3", "{\"n\":1}");
    ok(c -> store.append("r", List.of(one), c));
    ok(c -> store.append("r", List.of(two, three), c));

    StoredRoom r = recovered(NOW).get("r");
    assertEquals(3, r.head());
    assertEquals("epoch-r", r.epoch());
    assertEquals(List.of(one, two, three), r.recentOps());
    assertEquals(new Entry(json("2"), 2, "bob", 0), r.entries().get("k1"));
    assertEquals(new Entry(json("\"x\""), 1, "alice", 0), r.entries().get("k2"));
    assertEquals(new Entry(json("{\"n\":1}"), 3, "alice", 0), r.entries().get("k3"));
    assertEquals(3, r.entries().size());
  }

  @Test
  void deletedKeysAreRecoveredAsTombstones() throws Exception {
    create("r");
    Op set = put(1, "alice", "k", "1", "other", "2");
    Op delete = put(2, "bob", "k", null);
    ok(c -> store.append("r", List.of(set, delete), c));

    StoredRoom r = recovered(NOW).get("r");
    assertEquals(new Entry(null, 2, "bob", 0), r.entries().get("k"));
    assertTrue(r.entries().get("k").deleted());
    assertEquals(List.of(set, delete), r.recentOps());
    assertTrue(r.recentOps().get(1).change().values().containsKey("k"));
  }

  @Test
  void resetTombstonesEveryLiveKey() throws Exception {
    create("r");
    List<Op> ops = List.of(
        op(1, "w1", 1, new Change.Put(values("a", "1", "b", "2", "c", "3"))),
        op(2, "w1", 1, new Change.Put(values("c", null))),
        op(3, "w2", 5, new Change.Reset(values("b", "9", "d", "4"))));
    ok(c -> store.append("r", ops, c));

    StoredRoom r = recovered(NOW).get("r");
    assertEquals(new Entry(null, 3, "w2", 5), r.entries().get("a"));
    assertEquals(new Entry(json("9"), 3, "w2", 5), r.entries().get("b"));
    assertEquals(new Entry(null, 2, "w1", 1), r.entries().get("c"), "already a tombstone");
    assertEquals(new Entry(json("4"), 3, "w2", 5), r.entries().get("d"));
    assertEquals(inOrder(fold(ops)), inOrder(r.entries()));
    assertEquals(ops, r.recentOps());
  }

  @Test
  void writesSentWithoutWaitingFoldInCallOrder() throws Exception {
    create("r");
    List<CompletableFuture<Void>> acks = List.of(
        committed(c -> store.append("r", List.of(put(1, "w", "a", "1")), c)),
        committed(c -> store.append("r", List.of(op(2, "w", 0, new Change.Reset(values("b", "1")))), c)),
        committed(c -> store.append("r", List.of(put(3, "w", "a", "3")), c)),
        committed(c -> store.append("r", List.of(put(4, "w", "b", null)), c)),
        committed(c -> store.putAttribute("r", "x", json("1"), c)),
        committed(c -> store.putAttribute("r", "x", null, c)),
        committed(c -> store.putAttribute("r", "x", json("2"), c)));
    for (CompletableFuture<Void> ack : acks) {
      ack.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    StoredRoom r = recovered(NOW).get("r");
    assertEquals(new Entry(json("3"), 3, "w", 0), r.entries().get("a"));
    assertEquals(new Entry(null, 4, "w", 0), r.entries().get("b"));
    assertEquals(4, r.head());
    assertEquals(Map.of("x", json("2")), r.attributes());
  }

  @Test
  void commitsRunInCallOrder() throws Exception {
    for (int i = 0; i < 10; i++) {
      create("r" + i);
    }
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    long[] heads = new long[10];
    for (int i = 0; i < 600; i++) {
      int n = i;
      int room = i % 10;
      Consumer<Store.Commit> write = switch (i % 3) {
        case 0 -> c -> store.append("r" + room,
            List.of(put(++heads[room], "w", "k" + n, String.valueOf(n))), c);
        case 1 -> c -> store.putAttribute("r" + room, "a" + n, json(String.valueOf(n)), c);
        default -> c -> store.publish("r" + room, new StreamMessage(n, NOW, LATER, json("1")), c);
      };
      acks.add(committed(c -> write.accept(failure -> {
        order.add(n);
        c.done(failure);
      })));
    }
    for (CompletableFuture<Void> ack : acks) {
      ack.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    assertEquals(IntStream.range(0, 600).boxed().toList(), order);
  }

  @Test
  void trimKeepsStateButDropsOldOps() throws Exception {
    create("r");
    List<Op> ops = new ArrayList<>();
    for (int seq = 1; seq <= 10; seq++) {
      ops.add(put(seq, "w", "k" + seq, String.valueOf(seq)));
    }
    ok(c -> store.append("r", ops, c));
    store.trim("r", 6);

    StoredRoom r = recovered(NOW).get("r");
    assertEquals(10, r.head());
    assertEquals(ops.subList(6, 10), r.recentOps());
    assertEquals(inOrder(fold(ops)), inOrder(r.entries()));
  }

  @Test
  void recentOpsAreCappedByRetainOps() throws Exception {
    create("r", RoomConfig.DEFAULT.withRetention(5, Duration.ZERO));
    List<Op> ops = new ArrayList<>();
    for (int seq = 1; seq <= 12; seq++) {
      ops.add(put(seq, "w", "k" + (seq % 4), String.valueOf(seq)));
    }
    ok(c -> store.append("r", ops.subList(0, 3), c));
    ok(c -> store.append("r", ops.subList(3, 12), c));

    StoredRoom r = recovered(NOW).get("r");
    assertEquals(ops.subList(7, 12), r.recentOps(), "the newest five, oldest first");
    assertEquals(inOrder(fold(ops)), inOrder(r.entries()));
    assertEquals(12, r.head());
  }

  @Test
  void recentOpsAreCappedByRetainBytes() throws Exception {
    // each op holds about 1,100 bytes of text: four fit in 5,000
    create("r", RoomConfig.DEFAULT.withRetainBytes(5_000));
    List<Op> ops = new ArrayList<>();
    for (int seq = 1; seq <= 10; seq++) {
      ops.add(put(seq, "w", "k", "\"" + "v".repeat(998) + "\""));
    }
    ok(c -> store.append("r", ops.subList(0, 6), c));
    ok(c -> store.append("r", ops.subList(6, 10), c));

    StoredRoom r = recovered(NOW).get("r");
    assertEquals(ops.subList(6, 10), r.recentOps(), "the newest four, oldest first");
    assertEquals(10, r.head());
  }

  @Test
  void historyByBytesEndsAtTheFirstOpThatDoesNotFit() throws Exception {
    Op small = put(1, "w", "a", "1");
    Op big = put(2, "w", "b", "\"" + "v".repeat(998) + "\"");
    Op smallAgain = put(3, "w", "c", "1");
    Op newest = put(4, "w", "d", "1");
    create("exact", RoomConfig.DEFAULT.withRetainBytes(
        big.textSize() + smallAgain.textSize() + newest.textSize()));
    create("gap", RoomConfig.DEFAULT.withRetainBytes(500));
    for (String room : List.of("exact", "gap")) {
      ok(c -> store.append(room, List.of(small, big, smallAgain, newest), c));
    }

    Map<String, StoredRoom> rooms = recovered(NOW);
    assertEquals(List.of(big, smallAgain, newest), rooms.get("exact").recentOps(),
        "exactly the bound");
    assertEquals(List.of(smallAgain, newest), rooms.get("gap").recentOps(),
        "the big op does not fit, so neither does anything older: no gap in history");
  }

  @Test
  void configAndEpochSurviveRecovery() throws Exception {
    RoomConfig config = new RoomConfig(ConflictPolicy.PRIORITY, false, 77, Duration.ofSeconds(90),
        WriteAccess.LEADER_ONLY, Takeover.REFUSE, Duration.ofMillis(5_500), Duration.ofHours(1),
        12, "meets", 123_456);
    create("r", config);
    create("plain");

    Map<String, StoredRoom> rooms = recovered(NOW);
    assertEquals(config, rooms.get("r").config());
    assertEquals("epoch-r", rooms.get("r").epoch());
    assertEquals(RoomConfig.DEFAULT, rooms.get("plain").config());
    assertEquals(0, rooms.get("plain").head());
    assertEquals(List.of(), rooms.get("plain").recentOps());
  }

  @Test
  void createReplacesARoom() throws Exception {
    create("r");
    ok(c -> store.append("r", List.of(put(1, "w", "old", "1"), put(2, "w", "old2", "2")), c));
    ok(c -> store.putAttribute("r", "a", json("1"), c));
    ok(c -> store.publish("r", new StreamMessage(1, NOW, LATER, json("1")), c));
    RoomConfig second = RoomConfig.DEFAULT.withPolicy(ConflictPolicy.FIRST_WRITER_WINS);
    ok(c -> store.create("r", second, "epoch-2", c));
    Op fresh = put(1, "v", "new", "3");
    ok(c -> store.append("r", List.of(fresh), c));

    StoredRoom r = recovered(NOW).get("r");
    assertEquals("epoch-2", r.epoch());
    assertEquals(second, r.config());
    assertEquals(1, r.head());
    assertEquals(Map.of("new", new Entry(json("3"), 1, "v", 0)), r.entries());
    assertEquals(List.of(fresh), r.recentOps());
    assertEquals(Map.of(), r.attributes());
    assertEquals(List.of(), r.stream());
  }

  @Test
  void deleteRemovesARoomAndAllItHolds() throws Exception {
    create("gone");
    create("kept");
    Op op = put(1, "w", "k", "1");
    for (String room : List.of("gone", "kept")) {
      ok(c -> store.append(room, List.of(op), c));
      ok(c -> store.putAttribute(room, "a", json("1"), c));
      ok(c -> store.publish(room, new StreamMessage(1, NOW, LATER, json("1")), c));
    }
    ok(c -> store.delete("gone", c));

    Map<String, StoredRoom> rooms = recovered(NOW);
    assertEquals(List.of("kept"), List.copyOf(rooms.keySet()));
    assertEquals(List.of(op), rooms.get("kept").recentOps());
    assertEquals(1, rooms.get("kept").stream().size());

    create("gone");
    StoredRoom again = recovered(NOW).get("gone");
    assertEquals(0, again.head());
    assertTrue(again.entries().isEmpty() && again.recentOps().isEmpty()
        && again.attributes().isEmpty() && again.stream().isEmpty());
  }

  @Test
  void appendWithAGapFailsAndLaterWritesGoOn() throws Exception {
    create("r");
    Op one = put(1, "w", "k", "1");
    Op three = put(3, "w", "k", "3");
    ok(c -> store.append("r", List.of(one), c));
    assertNotNull(fails(c -> store.append("r", List.of(three), c)));
    Op two = put(2, "w", "k", "2");
    ok(c -> store.append("r", List.of(two), c));

    StoredRoom r = recovered(NOW).get("r");
    assertEquals(2, r.head());
    assertEquals(List.of(one, two), r.recentOps());
  }

  @Test
  void appendToAnUnknownRoomFails() throws Exception {
    assertNotNull(fails(c -> store.append("nowhere", List.of(put(1, "w", "k", "1")), c)));
    assertNotNull(fails(c -> store.append("nowhere", List.of(),
        List.of(new LedgerEntry.Forgotten("w", 1)), c)), "a ledger alone too");
    assertFalse(recovered(NOW).containsKey("nowhere"));
  }

  @Test
  void manyRoomsInterleavedAreRecoveredExactly() throws Exception {
    Random random = new Random(42);
    int roomCount = 30;
    Map<String, State> states = new LinkedHashMap<>();
    Map<String, List<Op>> logs = new LinkedHashMap<>();
    Map<String, Map<String, Json>> attributes = new LinkedHashMap<>();
    Map<String, List<StreamMessage>> streams = new LinkedHashMap<>();
    for (int i = 0; i < roomCount; i++) {
      String room = "room-" + i;
      create(room);
      states.put(room, new State());
      logs.put(room, new ArrayList<>());
      attributes.put(room, new LinkedHashMap<>());
      streams.put(room, new ArrayList<>());
    }
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    for (int n = 0; n < 3_000; n++) {
      String room = "room-" + random.nextInt(roomCount);
      int what = random.nextInt(20);
      if (what == 0) {
        Json value = json(String.valueOf(n));
        attributes.get(room).put("attr", value);
        acks.add(committed(c -> store.putAttribute(room, "attr", value, c)));
      } else if (what == 1) {
        StreamMessage m = new StreamMessage(n, NOW + n, LATER, json("{\"n\":" + n + "}"));
        streams.get(room).add(m);
        acks.add(committed(c -> store.publish(room, m, c)));
      } else {
        List<Op> batch = new ArrayList<>();
        List<Op> log = logs.get(room);
        for (int b = 1 + random.nextInt(3); b > 0; b--) {
          Op op = randomOp(random, log.size() + 1);
          log.add(op);
          states.get(room).apply(op);
          batch.add(op);
        }
        acks.add(committed(c -> store.append(room, batch, c)));
      }
    }
    for (CompletableFuture<Void> ack : acks) {
      ack.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    Map<String, StoredRoom> rooms = recovered(NOW);
    assertEquals(roomCount, rooms.size());
    for (String room : states.keySet()) {
      StoredRoom r = rooms.get(room);
      assertEquals(logs.get(room).size(), r.head(), room);
      assertEquals(logs.get(room), r.recentOps(), room);
      assertEquals(inOrder(states.get(room).entries()), inOrder(r.entries()), room);
      assertEquals(attributes.get(room), r.attributes(), room);
      assertEquals(streams.get(room), r.stream(), room);
    }
  }
}
