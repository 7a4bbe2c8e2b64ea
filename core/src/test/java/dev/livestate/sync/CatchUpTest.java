package dev.livestate.sync;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.Position;
import dev.livestate.room.Room;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.testkit.Fast;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Fast
class CatchUpTest {
  private static final Writer A = Writer.of("a");

  /** A room with ops 1..n, op i setting k{i} = i at time i * 1000. */
  private static Room roomWith(int n, RoomConfig config) {
    Room room = new Room("r", config, "e1");
    for (int i = 1; i <= n; i++) {
      room.decide(A, List.of(proposal(i, i - 1, put("k" + i, Integer.toString(i)))), i * 1000L);
    }
    return room;
  }

  private static List<Long> seqs(CatchUp c) {
    return assertInstanceOf(CatchUp.Tail.class, c).ops().stream().map(Op::seq).toList();
  }

  @Test
  void noPositionGetsASnapshotOfTheWholeStateAtTheHead() {
    Room room = roomWith(3, RoomConfig.DEFAULT);

    CatchUp.Snapshot s = assertInstanceOf(CatchUp.Snapshot.class, room.catchUp(null));

    assertEquals(new Position("e1", 3), s.head());
    assertEquals(Map.of("k1", new Json("1"), "k2", new Json("2"), "k3", new Json("3")),
        s.values());
  }

  @Test
  void tailHoldsExactlyTheOpsAfterThePositionInOrder() {
    Room room = roomWith(5, RoomConfig.DEFAULT);

    assertEquals(List.of(3L, 4L, 5L), seqs(room.catchUp(new Position("e1", 2))));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(room.catchUp(new Position("e1", 0))));
    assertEquals(new Position("e1", 5), room.catchUp(new Position("e1", 2)).head());
  }

  @Test
  void clientAtTheHeadGetsAnEmptyTail() {
    Room room = roomWith(3, RoomConfig.DEFAULT);

    assertEquals(List.of(), seqs(room.catchUp(new Position("e1", 3))));
  }

  @Test
  void positionBeforeTheOpsKeptByCountGetsASnapshot() {
    Room room = roomWith(10, RoomConfig.DEFAULT.withRetention(3, Duration.ZERO));

    assertEquals(List.of(8L, 9L, 10L), seqs(room.catchUp(new Position("e1", 7))));
    CatchUp c = room.catchUp(new Position("e1", 6));
    CatchUp.Snapshot s = assertInstanceOf(CatchUp.Snapshot.class, c);
    assertEquals(new Position("e1", 10), s.head());
    assertEquals(10, s.values().size());
  }

  @Test
  void keepingNoOpsAnswersEveryBehindClientWithASnapshot() {
    Room room = roomWith(2, RoomConfig.DEFAULT.withRetention(0, Duration.ZERO));

    assertInstanceOf(CatchUp.Snapshot.class, room.catchUp(new Position("e1", 1)));
    assertEquals(List.of(), seqs(room.catchUp(new Position("e1", 2))));
  }

  @Test
  void positionBeforeTheOpsKeptByAgeGetsASnapshot() {
    Room room = roomWith(5, RoomConfig.DEFAULT.withRetention(100, Duration.ofSeconds(2)));

    long through = room.trim(4500);

    assertEquals(2, through, "ops older than 2 s at t=4.5 s (seqs 1 and 2) go");
    assertEquals(List.of(3L, 4L, 5L), seqs(room.catchUp(new Position("e1", 2))));
    assertInstanceOf(CatchUp.Snapshot.class, room.catchUp(new Position("e1", 1)));
  }

  @Test
  void zeroRetainAgeKeepsOpsRegardlessOfAge() {
    Room room = roomWith(3, RoomConfig.DEFAULT);

    assertEquals(0, room.trim(Long.MAX_VALUE / 2));
    assertEquals(List.of(1L, 2L, 3L), seqs(room.catchUp(new Position("e1", 0))));
  }

  @Test
  void positionAheadOfTheHeadAsksForResubmit() {
    Room room = roomWith(3, RoomConfig.DEFAULT);

    CatchUp c = room.catchUp(new Position("e1", 4));

    assertEquals(new CatchUp.Resubmit(new Position("e1", 3)), c);
  }

  @Test
  void positionFromAnotherEpochAsksForResubmitEvenIfItsSeqExistsHere() {
    Room room = roomWith(5, RoomConfig.DEFAULT);

    assertEquals(new CatchUp.Resubmit(new Position("e1", 5)),
        room.catchUp(new Position("old", 2)));
  }

  @Test
  void anotherEpochAtSeqZeroHeldNothingSoItGetsASnapshot() {
    Room room = roomWith(2, RoomConfig.DEFAULT);

    CatchUp c = room.catchUp(new Position("old", 0));

    assertInstanceOf(CatchUp.Snapshot.class, c);
    assertEquals(new Position("e1", 2), c.head());
  }

  @Test
  void snapshotIsACopyThatLaterOpsDoNotChange() {
    Room room = roomWith(1, RoomConfig.DEFAULT);
    CatchUp.Snapshot s = room.snapshot();

    room.decide(A, List.of(proposal(99, 1, put("later", "1"))), 0);

    assertTrue(!s.values().containsKey("later"));
  }
}
