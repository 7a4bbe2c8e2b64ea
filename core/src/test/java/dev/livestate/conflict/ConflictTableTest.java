package dev.livestate.conflict;

import static dev.livestate.testkit.Changes.json;
import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.livestate.room.Role;
import dev.livestate.room.Room;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.state.Entry;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import dev.livestate.testkit.Fast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conflict rule and the three policies as one table. The room holds key {@code k} = "old",
 * set at seq 3 by writer {@code w1} with priority 5. A proposal to {@code k} comes from the same
 * or another writer, made before (baseSeq 2) or after (baseSeq 3) it saw seq 3, with the same or
 * another value, and a priority higher, equal or lower than 5.
 */
@Fast
class ConflictTableTest {
  enum Who { SAME_WRITER, OTHER_WRITER }

  enum Saw { BEFORE_CURRENT_SEQ, AFTER_CURRENT_SEQ }

  enum Value { SAME_VALUE, OTHER_VALUE }

  enum Prio { HIGHER, EQUAL, LOWER }

  enum Expect { ACCEPT, REJECT }

  private static final long CURRENT_SEQ = 3;
  private static final int CURRENT_PRIORITY = 5;

  /**
   * What each policy does with a conflicting write, by the proposer's priority. Every row that
   * is not a conflict (same writer, or base seq not before the current one, or same value) is
   * accepted under every policy.
   */
  private static final Map<ConflictPolicy, Map<Prio, Expect>> ON_CONFLICT = Map.of(
      ConflictPolicy.LAST_WRITER_WINS,
          Map.of(Prio.HIGHER, Expect.ACCEPT, Prio.EQUAL, Expect.ACCEPT, Prio.LOWER, Expect.ACCEPT),
      ConflictPolicy.FIRST_WRITER_WINS,
          Map.of(Prio.HIGHER, Expect.REJECT, Prio.EQUAL, Expect.REJECT, Prio.LOWER, Expect.REJECT),
      ConflictPolicy.PRIORITY,
          Map.of(Prio.HIGHER, Expect.ACCEPT, Prio.EQUAL, Expect.REJECT, Prio.LOWER, Expect.REJECT));

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    for (ConflictPolicy policy : ConflictPolicy.values()) {
      for (Who who : Who.values()) {
        for (Saw saw : Saw.values()) {
          for (Value value : Value.values()) {
            for (Prio prio : Prio.values()) {
              boolean conflict = who == Who.OTHER_WRITER
                  && saw == Saw.BEFORE_CURRENT_SEQ
                  && value == Value.OTHER_VALUE;
              Expect expect = conflict ? ON_CONFLICT.get(policy).get(prio) : Expect.ACCEPT;
              rows.add(Arguments.of(policy, who, saw, value, prio, expect));
            }
          }
        }
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} {3} priority {4} -> {5}")
  @MethodSource("table")
  void policyDecidesAConflictingWriteAndAcceptsEveryOther(
      ConflictPolicy policy, Who who, Saw saw, Value value, Prio prio, Expect expect) {
    Room room = new Room("r", RoomConfig.DEFAULT.withPolicy(policy), "e1");
    Writer w1 = new Writer("w1", Role.WRITER, CURRENT_PRIORITY);
    room.decide(w1, List.of(proposal(1, 0, put("x", "1")), proposal(2, 1, put("y", "1")),
        proposal(3, 2, put("k", "\"old\""))), 0);
    Entry current = room.state().get("k");
    assertEquals(new Entry(json("\"old\""), CURRENT_SEQ, "w1", CURRENT_PRIORITY), current);

    int priority = switch (prio) {
      case HIGHER -> CURRENT_PRIORITY + 1;
      case EQUAL -> CURRENT_PRIORITY;
      case LOWER -> CURRENT_PRIORITY - 1;
    };
    Writer proposer = new Writer(who == Who.SAME_WRITER ? "w1" : "w2", Role.WRITER, priority);
    long baseSeq = saw == Saw.BEFORE_CURRENT_SEQ ? CURRENT_SEQ - 1 : CURRENT_SEQ;
    String proposed = value == Value.SAME_VALUE ? "\"old\"" : "\"new\"";

    Outcome outcome = room.decide(proposer, List.of(proposal(100, baseSeq, put("k", proposed))), 0)
        .outcomes().get(0);

    if (expect == Expect.ACCEPT) {
      assertEquals(new Outcome.Accepted(100, CURRENT_SEQ + 1), outcome);
      assertEquals(new Entry(json(proposed), CURRENT_SEQ + 1, proposer.clientId(), priority),
          room.state().get("k"));
      assertEquals(CURRENT_SEQ + 1, room.head().seq());
    } else {
      Outcome.Rejected rejected = assertInstanceOf(Outcome.Rejected.class, outcome);
      assertEquals(100, rejected.localSeq());
      assertEquals(Rejection.CONFLICT, rejected.reason());
      assertEquals(Map.of("k", current), rejected.winners(), "the value that stands, and its seq");
      assertEquals(current, room.state().get("k"));
      assertEquals(CURRENT_SEQ, room.head().seq(), "a rejection takes no seq");
    }
  }
}
