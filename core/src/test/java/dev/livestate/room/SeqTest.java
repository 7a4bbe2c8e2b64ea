package dev.livestate.room;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.op.Proposal;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.Fast;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Fast
class SeqTest {

  @Test
  void firstAcceptedOpIsSeqOneAndANewRoomIsAtZero() {
    Room room = new Room("r", RoomConfig.DEFAULT, "e1");
    assertEquals(new Position("e1", 0), room.head());

    Room.Decision d = room.decide(Writer.of("a"), List.of(proposal(1, 0, put("k", "1"))), 0);

    assertEquals(1, d.accepted().get(0).seq());
    assertEquals(new Position("e1", 1), room.head());
  }

  @Test
  void rejectionsTakeNoSeqSoSeqsStayGapFree() {
    Room room = new Room("r", RoomConfig.DEFAULT.withPolicy(ConflictPolicy.FIRST_WRITER_WINS), "e");
    room.decide(Writer.of("a"), List.of(proposal(1, 0, put("k", "1"))), 0);
    room.decide(Writer.of("b"), List.of(proposal(1, 0, put("k", "2"))), 0);
    room.decide(new Writer("c", Role.READER, 0), List.of(proposal(1, 0, put("j", "2"))), 0);

    Room.Decision d = room.decide(Writer.of("b"), List.of(proposal(2, 1, put("k", "3"))), 0);

    assertEquals(new Outcome.Accepted(2, 2), d.outcomes().get(0));
    assertEquals(List.of(1L, 2L), room.retained().stream().map(Op::seq).toList());
  }

  /**
   * Property: for random writers, policies, priorities, base seqs, puts, deletes and resets, the
   * accepted ops are numbered 1..N without a gap, and after every decision the room's state is
   * what folding those ops from scratch gives (folded here by a plain map, not by State).
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 2024, 31337})
  void stateAtSeqNIsTheFoldOfOpsOneToN(long seed) {
    Random random = new Random(seed);
    ConflictPolicy policy = ConflictPolicy.values()[random.nextInt(3)];
    Room room = new Room("r", RoomConfig.DEFAULT.withPolicy(policy), "e");
    List<Writer> writers = List.of(new Writer("a", Role.WRITER, 1),
        new Writer("b", Role.WRITER, 2), new Writer("c", Role.WRITER, 2));
    Map<String, Long> localSeqs = new HashMap<>();
    List<Op> log = new ArrayList<>();

    for (int round = 0; round < 300; round++) {
      Writer w = writers.get(random.nextInt(writers.size()));
      List<Proposal> batch = new ArrayList<>();
      for (int i = random.nextInt(4); i >= 0; i--) {
        long localSeq = localSeqs.merge(w.clientId(), 1L, Long::sum);
        long baseSeq = room.head().seq() == 0 ? 0 : random.nextLong(room.head().seq() + 1);
        batch.add(new Proposal(localSeq, baseSeq, randomChange(random)));
      }
      if (random.nextInt(10) == 0) {
        batch.add(batch.get(0)); // a resend within the batch
      }

      Room.Decision d = room.decide(w, batch, round);

      for (Op op : d.accepted()) {
        assertEquals(log.size() + 1, op.seq(), "gap-free, strictly increasing");
        assertEquals(w.clientId(), op.writer());
        log.add(op);
      }
      assertEquals(log.size(), room.head().seq());
      assertEquals(fold(log), room.state().values(), "state at seq " + log.size());
    }
  }

  private static Change randomChange(Random random) {
    if (random.nextInt(20) == 0) {
      return new Change.Reset(randomValues(random));
    }
    return new Change.Put(randomValues(random));
  }

  private static Map<String, Json> randomValues(Random random) {
    Map<String, Json> values = new LinkedHashMap<>();
    for (int i = random.nextInt(3); i >= 0; i--) {
      int v = random.nextInt(4);
      values.put("k" + random.nextInt(6), v == 0 ? null : new Json(Integer.toString(v)));
    }
    return values;
  }

  /** The fold of ops 1..N, written independently of {@link dev.livestate.state.State}. */
  private static Map<String, Json> fold(List<Op> ops) {
    Map<String, Json> state = new HashMap<>();
    for (Op op : ops) {
      if (op.change() instanceof Change.Reset) {
        state.clear();
      }
      op.change().values().forEach((k, v) -> {
        if (v == null) {
          state.remove(k);
        } else {
          state.put(k, v);
        }
      });
    }
    return state;
  }
}
