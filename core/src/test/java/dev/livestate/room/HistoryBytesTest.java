package dev.livestate.room;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.livestate.op.Op;
import dev.livestate.sync.CatchUp;
import dev.livestate.testkit.Fast;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A room's history is bounded by bytes as well as by count: ops whose text passes the config's
 * retainBytes go, oldest first, however many retainOps allows, and a client that missed them
 * gets a snapshot.
 */
@Fast
class HistoryBytesTest {
  private static final Writer A = Writer.of("a");
  /** A value of 1,000 characters: each op holds about 1,100 bytes. */
  private static final String VALUE = "\"" + "v".repeat(998) + "\"";

  private static Room room(long retainBytes) {
    return new Room("r", RoomConfig.DEFAULT.withRetention(1_000_000, Duration.ZERO)
        .withRetainBytes(retainBytes), "e");
  }

  private static void write(Room room, int count) {
    for (int i = 1; i <= count; i++) {
      room.decide(A, List.of(proposal(room.head().seq() + 1, room.head().seq(),
          put("k", VALUE))), 0);
    }
  }

  private static List<Long> seqs(Room room) {
    return room.retained().stream().map(Op::seq).toList();
  }

  @Test
  void theOldestOpsGoOnceTheirBytesPassTheBound() {
    Room room = room(5_000);

    write(room, 10);

    assertEquals(List.of(7L, 8L, 9L, 10L), seqs(room), "four ops of about 1,100 bytes fit");
    assertInstanceOf(CatchUp.Snapshot.class, room.catchUp(new Position("e", 5)),
        "a client that missed seq 6 gets a snapshot");
    assertEquals(List.of(7L, 8L, 9L, 10L), assertInstanceOf(CatchUp.Tail.class,
        room.catchUp(new Position("e", 6))).ops().stream().map(Op::seq).toList());
  }

  @Test
  void opsThatFillTheBoundExactlyAreAllKept() {
    long opBytes = new Op(1, "a", 1, 0, 0, put("k", VALUE)).textSize();
    Room room = room(4 * opBytes);

    write(room, 6);

    assertEquals(List.of(3L, 4L, 5L, 6L), seqs(room));
    assertEquals(0, RoomConfig.DEFAULT.withRetainBytes(0).retainBytes(), "none is a bound too");
  }

  @Test
  void anOpLargerThanTheBoundIsNotKept() {
    Room room = room(100);

    write(room, 3);

    assertEquals(List.of(), seqs(room));
    assertEquals(3, room.trim(0), "a store may forget every op");
  }

  @Test
  void aRecoveredRoomKeepsNoMoreThanTheBound() {
    Room before = room(Long.MAX_VALUE);
    write(before, 10);

    Room after = Room.recover("r", before.config().withRetainBytes(3_500), "e", 10,
        before.state().entries(), new ArrayList<>(before.retained()), List.of(), false);

    assertEquals(List.of(8L, 9L, 10L), seqs(after));
  }

  @Test
  void theTextOfAnOpIsWhatCounts() {
    Op op = new Op(1, "writer", 1, 0, 0, put("key", "\"value\""));

    assertEquals(100 + "writer".length() + "key".length() + "\"value\"".length(),
        op.textSize());
    assertEquals(100 + "key".length(),
        new Op(1, null, 1, 0, 0, put("key", null)).textSize(), "a delete, by nobody");
  }

  @Test
  void aBoundBelowZeroIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> RoomConfig.DEFAULT.withRetainBytes(-1));
    assertEquals(64L << 20, RoomConfig.DEFAULT.retainBytes());
  }
}
