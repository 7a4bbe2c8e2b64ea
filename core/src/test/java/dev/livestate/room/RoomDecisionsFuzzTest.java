package dev.livestate.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.junit.Lifecycle;
import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.op.Proposal;
import dev.livestate.state.State;
import dev.livestate.store.MemoryStore;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.Fast;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A room driven by random sequences: proposals (puts, deletes, resets) from several writers with
 * random roles, priorities and base seqs under a random policy, resends of earlier changes,
 * leadership claims, releases and lapses, seals, trims, and restarts from what a {@link
 * MemoryStore} kept. After every step: the accepted ops have the seqs 1..n without a gap, their
 * fold from an empty state is the room's state (keys, values, order, who set each), no (client,
 * localSeq) is applied twice, a resend gets the outcome its change first got, and a catch-up from
 * any position is exactly the ops after it or a snapshot of the state. Inputs:
 * {@code RoomDecisionsFuzzTestInputs/}.
 */
@Fast
class RoomDecisionsFuzzTest {
  private static final String ROOM = "room";
  private static final String EPOCH = "epoch-1";
  private static final String[] CLIENTS = {"ann", "bob", "cy"};
  private static final String[] KEYS = {"a", "b", "c", "d"};
  /** Values a change may give, JSON null among them; Java null deletes. */
  private static final Json[] VALUES = {new Json("1"), new Json("2"), new Json("\"x\""),
      Json.NULL, new Json("{\"n\":[1,null]}"), null};
  private static final int MAX_STEPS = 200;

  /** One client's change: who sent it and its own number for it. */
  private record Sent(String client, long localSeq) {}

  private final Store store = new MemoryStore();
  private final List<Op> log = new ArrayList<>();
  private final Map<Sent, Proposal> proposals = new LinkedHashMap<>();
  private final Map<Sent, Outcome> firstOutcomes = new HashMap<>();
  /** The changes whose decision the room still holds, so a resend must get it again. */
  private final List<Sent> remembered = new ArrayList<>();
  private final Set<Sent> applied = new HashSet<>();
  private final Map<String, Long> lastLocalSeq = new HashMap<>();
  private RoomConfig config;
  private Room room;
  private long now = 1_000;
  private long trimmedThrough;
  private boolean sealed;

  /** Each run a room, a store and a history of its own: nothing is carried to the next. */
  @FuzzTest(lifecycle = Lifecycle.PER_EXECUTION)
  void everySequenceFoldsIntoTheStateWithGapFreeSeqsAndNoResendAppliedTwice(
      FuzzedDataProvider data) {
    config = RoomConfig.DEFAULT
        .withPolicy(data.pickValue(ConflictPolicy.values()))
        .withRetention(data.consumeInt(0, 6),
            data.consumeBoolean() ? Duration.ZERO : Duration.ofMillis(data.consumeInt(1, 40)))
        .withWriteAccess(data.pickValue(WriteAccess.values()))
        .withTakeover(data.pickValue(Takeover.values()));
    store.create(ROOM, config, EPOCH, failure -> assertNull(failure));
    room = new Room(ROOM, config, EPOCH);
    for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
      now += data.consumeInt(0, 15);
      switch (data.consumeInt(0, 9)) {
        case 0, 1, 2, 3 -> submit(data);
        case 4 -> claimLeader(data);
        case 5 -> room.releaseLeader(data.pickValue(CLIENTS));
        case 6 -> leaveAndLapse(data);
        case 7 -> trim();
        case 8 -> restart();
        default -> seal(data);
      }
      assertInvariants(data);
    }
  }

  /** A batch from one writer: new changes and resends of its earlier ones, in any order. */
  private void submit(FuzzedDataProvider data) {
    String client = data.pickValue(CLIENTS);
    Role role = data.consumeInt(0, 5) == 0 ? Role.READER : Role.WRITER;
    Writer writer = new Writer(client, role, data.consumeInt(0, 3));
    List<Proposal> batch = new ArrayList<>();
    List<Sent> sent = new ArrayList<>();
    int size = data.consumeInt(1, 3);
    for (int i = 0; i < size; i++) {
      List<Sent> resendable = remembered.stream().filter(s -> s.client().equals(client)).toList();
      if (!resendable.isEmpty() && data.consumeInt(0, 3) == 0) {
        Sent again = resendable.get(data.consumeInt(0, resendable.size() - 1));
        batch.add(proposals.get(again));
        sent.add(again);
      } else {
        long localSeq = lastLocalSeq.merge(client, 1L, Long::sum);
        Proposal p = new Proposal(localSeq, data.consumeLong(0, log.size() + 2), change(data));
        Sent s = new Sent(client, localSeq);
        proposals.put(s, p);
        batch.add(p);
        sent.add(s);
      }
    }
    long head = room.head().seq();
    Room.Decision decision = room.decide(writer, batch, now);
    assertEquals(batch.size(), decision.outcomes().size());
    for (int i = 0; i < batch.size(); i++) {
      decided(sent.get(i), decision.outcomes().get(i));
    }
    for (Op op : decision.accepted()) {
      assertEquals(++head, op.seq(), "the next seq, with no gap");
      assertTrue(applied.add(new Sent(op.writer(), op.localSeq())),
          "applied once: " + op.writer() + "/" + op.localSeq());
      log.add(op);
    }
    store.append(ROOM, decision.accepted(), decision.ledger(), failure -> assertNull(failure));
  }

  private void decided(Sent sent, Outcome outcome) {
    assertEquals(sent.localSeq(), outcome.localSeq());
    Outcome first = firstOutcomes.putIfAbsent(sent, outcome);
    if (first != null) {
      // a stored refusal keeps its code, not the winning values it named (decision 007)
      assertEquals(answer(first), answer(outcome), "a resend gets what its change first got");
    } else {
      remembered.add(sent);
    }
  }

  /** What a resend must be answered the same: the seq of an ack, the code of a refusal. */
  private static String answer(Outcome o) {
    return o instanceof Outcome.Accepted a ? "ack " + a.localSeq() + " → " + a.seq()
        : "refused " + o.localSeq() + ": " + ((Outcome.Rejected) o).reason();
  }

  private static Change change(FuzzedDataProvider data) {
    Map<String, Json> values = new LinkedHashMap<>();
    int keys = data.consumeInt(0, 3);
    for (int i = 0; i < keys; i++) {
      values.put(data.pickValue(KEYS), VALUES[data.consumeInt(0, VALUES.length - 1)]);
    }
    if (data.consumeInt(0, 7) == 0) {
      values.values().removeIf(v -> v == null);
      return new Change.Reset(values);
    }
    return new Change.Put(values);
  }

  private void claimLeader(FuzzedDataProvider data) {
    String client = data.pickValue(CLIENTS);
    String before = room.leader();
    Leadership l = room.claimLeader(client, data.consumeBoolean() ? client : null);
    if (l instanceof Leadership.Granted) {
      assertEquals(client, room.leader());
    } else {
      assertEquals(before, room.leader());
    }
  }

  private void leaveAndLapse(FuzzedDataProvider data) {
    room.leaderLeft(data.pickValue(CLIENTS), now, data.consumeInt(0, 20));
    now += data.consumeInt(0, 30);
    room.expireLease(now);
  }

  /** What the engine's tick does: trims by age, and tells the store what it may forget. */
  private void trim() {
    long through = room.trim(now);
    if (through > trimmedThrough) {
      trimmedThrough = through;
      store.trim(ROOM, through);
    }
  }

  private void seal(FuzzedDataProvider data) {
    if (data.consumeInt(0, 3) == 0) {
      room.seal();
      sealed = true;
    }
  }

  /**
   * The room rebuilt from what the store kept, as the engine recovers it: its state, the ops it
   * still retains, and the resend ledger, which the store keeps apart from history, so every
   * decision made before the restart may still be resent.
   */
  private void restart() {
    StoredRoom stored = store.recover(now).get(0);
    room = Room.recover(ROOM, stored.config(), stored.epoch(), stored.head(), stored.entries(),
        stored.recentOps(), stored.ledger(), sealed);
    trimmedThrough = stored.recentOps().isEmpty()
        ? stored.head() : stored.recentOps().get(0).seq() - 1;
  }

  private void assertInvariants(FuzzedDataProvider data) {
    assertEquals(log.size(), room.head().seq());
    State fold = new State();
    for (int i = 0; i < log.size(); i++) {
      assertEquals(i + 1, log.get(i).seq(), "seqs are 1..n");
      fold.apply(log.get(i));
    }
    assertEquals(new ArrayList<>(fold.entries().entrySet()),
        new ArrayList<>(room.state().entries().entrySet()),
        "the fold of the accepted ops is the state, in order");
    long since = data.consumeLong(0, log.size());
    CatchUp catchUp = room.catchUp(new Position(EPOCH, since));
    assertEquals(room.head(), catchUp.head());
    if (catchUp instanceof CatchUp.Tail tail) {
      assertEquals(log.subList((int) since, log.size()), tail.ops(), "exactly the missed ops");
    } else {
      Map<String, Json> snapshot = assertInstanceOf(CatchUp.Snapshot.class, catchUp).values();
      assertEquals(new ArrayList<>(fold.values().entrySet()),
          new ArrayList<>(snapshot.entrySet()), "a snapshot of the state, in order");
    }
  }
}
