package dev.livestate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The local state's folding on its own: acks, ops and refusals in the orders a socket gives. */
class LocalStateTest {
  private static Edit put(String key, Integer value) {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    values.put(key, value == null ? null : IntNode.valueOf(value));
    return new Edit(values, false);
  }

  private static Pending pending(long localSeq, Edit edit) {
    return new Pending(localSeq, 0, edit, new CompletableFuture<>());
  }

  private static ChangeEvent event(String key, int value, long seq, ChangeEvent.Origin origin) {
    return new ChangeEvent(key, IntNode.valueOf(value), seq, origin);
  }

  @Test
  void anAckAheadOfAnotherWritersOpWaitsForItAndTheOwnValueNeverFlickers() {
    LocalState state = new LocalState("e", 0, Map.of());
    Pending mine = pending(1, put("x", 1));
    assertEquals(List.of(event("x", 1, 0, ChangeEvent.Origin.LOCAL)), state.add(mine));

    assertEquals(List.of(), state.acked(mine, 2), "seq 1 is still on its way");
    assertEquals(0, state.seq());
    assertEquals(IntNode.valueOf(1), state.get("x"));

    assertEquals(List.of(), state.op(1, put("x", 0)), "x shows 1 before and after");
    assertEquals(2, state.seq());
    assertEquals(List.of(), state.pending());
    assertEquals(Map.of("x", IntNode.valueOf(1)), state.confirmed());
  }

  @Test
  void aCatchUpThatBringsAnAckedChangeAgainTakesItOffTheQueue() {
    LocalState state = new LocalState("e", 0, Map.of());
    Pending mine = pending(1, put("x", 1));
    state.add(mine);
    state.op(2, put("y", 2));
    state.acked(mine, 3);

    // the connection dropped before seq 1 came; the catch-up brings 1 to 3
    state.op(1, put("z", 0));
    assertEquals(3, state.seq());
    assertEquals(List.of(), state.pending());
    assertEquals(List.of(), state.op(3, put("x", 1)), "a duplicate is dropped");
  }

  @Test
  void aRefusedChangeRollsItsKeysBackToTheRoomsValues() {
    LocalState state = new LocalState("e", 0, Map.of());
    state.op(1, put("x", 5));
    Pending mine = pending(1, put("x", 1));
    state.add(mine);
    assertEquals(List.of(), state.op(2, put("x", 7)), "hidden under the pending change");

    assertEquals(List.of(event("x", 7, 0, ChangeEvent.Origin.ROLLBACK)), state.rejected(mine));
    assertEquals(IntNode.valueOf(7), state.get("x"));
  }

  @Test
  void aSnapshotKeepsTheChangesItDoesNotHoldYet() {
    LocalState state = new LocalState("e", 0, Map.of());
    Pending acked = pending(1, put("x", 1));
    Pending waiting = pending(2, put("y", 2));
    state.add(acked);
    state.add(waiting);
    state.acked(acked, 4);

    state.snapshot("e", 4, Map.of("x", IntNode.valueOf(1)));
    assertEquals(List.of(waiting), state.pending());
    assertEquals(Map.of("x", IntNode.valueOf(1), "y", IntNode.valueOf(2)), state.view());
  }
}
