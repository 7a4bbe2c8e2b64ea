package dev.livestate.state;

import static dev.livestate.testkit.Changes.json;
import static dev.livestate.testkit.Changes.put;
import static dev.livestate.testkit.Changes.puts;
import static dev.livestate.testkit.Changes.reset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Change;
import dev.livestate.op.Op;
import dev.livestate.testkit.Fast;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Fast
class StateTest {
  private final State state = new State();

  private void apply(long seq, String writer, Change change) {
    state.apply(new Op(seq, writer, seq, 1, 0, change));
  }

  @Test
  void eachEntryRemembersTheWriteThatSetIt() {
    apply(1, "a", puts("k", "1", "j", "2"));
    apply(2, "b", put("k", "3"));

    assertEquals(new Entry(json("3"), 2, "b", 1), state.get("k"));
    assertEquals(new Entry(json("2"), 1, "a", 1), state.get("j"));
  }

  @Test
  void deleteLeavesATombstoneThatIsNotAValue() {
    apply(1, "a", puts("k", "1", "j", "2"));
    apply(2, "b", put("k", null));

    assertTrue(state.get("k").deleted());
    assertEquals(2, state.get("k").seq());
    assertEquals(Map.of("j", json("2")), state.values());
    assertEquals(1, state.size());
  }

  @Test
  void jsonNullIsAValueNotADelete() {
    apply(1, "a", put("k", "null"));

    assertFalse(state.get("k").deleted());
    assertEquals(1, state.size());
  }

  @Test
  void resetTombstonesEveryLiveKeyItDoesNotSet() {
    apply(1, "a", puts("k", "1", "j", "2"));
    apply(2, "a", put("j", null));
    apply(3, "b", reset("n", "1"));

    assertEquals(Map.of("n", json("1")), state.values());
    assertEquals(new Entry(null, 3, "b", 1), state.get("k"));
    assertEquals(2, state.get("j").seq(), "an old tombstone keeps its seq");
    assertEquals(1, state.size());
  }

  @Test
  void keysKeepTheOrderTheyWereFirstSetIn() {
    apply(1, "a", puts("zeta", "1", "alpha", "2", "omega", "3"));
    apply(2, "a", puts("mid", "4", "zeta", "5", "beta", "6"));
    apply(3, "a", put("alpha", "null"));

    List<String> order = List.of("zeta", "alpha", "omega", "mid", "beta");
    assertEquals(order, List.copyOf(state.values().keySet()),
        "an updated key keeps its place, a new one goes last");
    assertEquals(order, List.copyOf(state.entries().keySet()));
  }

  @Test
  void aDeletedKeySetAgainGoesLastAsANewOne() {
    apply(1, "a", puts("a", "1", "b", "2", "c", "3"));
    apply(2, "a", put("a", null));
    assertEquals(List.of("a", "b", "c"), List.copyOf(state.entries().keySet()),
        "the tombstone keeps its place");
    apply(3, "a", put("a", "4"));

    assertEquals(List.of("b", "c", "a"), List.copyOf(state.values().keySet()));
    assertEquals(3, state.size());
    apply(4, "a", put("a", null));
    apply(5, "a", put("a", null));
    assertEquals(List.of("b", "c", "a"), List.copyOf(state.entries().keySet()),
        "deleting a tombstone again moves nothing");
    assertEquals(2, state.size());
  }

  @Test
  void aResetListsItsKeysInItsOwnOrder() {
    apply(1, "a", puts("a", "1", "b", "2", "c", "3"));
    apply(2, "a", reset("c", "9", "x", "null", "a", "8"));

    assertEquals(List.of("c", "x", "a"), List.copyOf(state.values().keySet()));
    assertEquals(json("null"), state.values().get("x"));
    assertEquals(3, state.size());
    apply(3, "a", puts("b", "5", "c", "6"));
    assertEquals(List.of("c", "x", "a", "b"), List.copyOf(state.values().keySet()));
    assertEquals(4, state.size());
  }

  @Test
  void restoredEntriesKeepTheOrderTheyAreRestoredIn() {
    state.restore("z", new Entry(json("1"), 4, "a", 1));
    state.restore("gone", new Entry(null, 5, "a", 1));
    state.restore("b", new Entry(json("2"), 3, "a", 1));
    apply(6, "a", puts("gone", "7", "z", "8"));

    assertEquals(List.of("z", "b", "gone"), List.copyOf(state.values().keySet()));
  }

  @Test
  void restoredEntriesCountLikeAppliedOnes() {
    state.restore("k", new Entry(json("1"), 4, "a", 1));
    state.restore("gone", new Entry(null, 5, "a", 1));

    assertEquals(1, state.size());
    assertEquals(2, state.entries().size());
  }
}
