package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.livestate.op.Json;
import dev.livestate.testkit.Fast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A follower's copy of a room's leader and presence: kept from numbered events, each handed on
 * after the ops through its seq, repaired from the owner's account, emptied by a new holding.
 */
@Fast
class MirrorTest {
  private final List<RoomEvent> delivered = new ArrayList<>();
  /** Tasks waiting for the ops through a seq; ops through {@link #through} are handed on. */
  private final TreeMap<Long, List<Runnable>> waiting = new TreeMap<>();
  private long through;
  private int refreshes;
  private final Mirror mirror = new Mirror("r", this::afterOps, delivered::add,
      () -> refreshes++);

  private void afterOps(long seq, Runnable task) {
    if (seq <= through) {
      task.run();
    } else {
      waiting.computeIfAbsent(seq, s -> new ArrayList<>()).add(task);
    }
  }

  private void opsThrough(long seq) {
    through = seq;
    while (!waiting.isEmpty() && waiting.firstKey() <= seq) {
      waiting.pollFirstEntry().getValue().forEach(Runnable::run);
    }
  }

  private static Peers.Told told(long holding, long number, long at, RoomEvent e) {
    return new Peers.Told("a", holding, number, at, e);
  }

  private static RoomEvent.LeaderChanged led(String leader, String previous) {
    return new RoomEvent.LeaderChanged("r", leader, previous);
  }

  private static RoomEvent.PresenceChanged present(String clientId, String data) {
    return new RoomEvent.PresenceChanged("r", clientId, data == null ? null : new Json(data));
  }

  @Test
  void anEventWaitsForTheOpsBeforeIt() {
    mirror.told(told(1, 1, 5, led("x", null)));
    assertEquals(List.of(), delivered);
    assertNull(mirror.leader());
    opsThrough(5);
    assertEquals(List.of(led("x", null)), delivered);
    assertEquals("x", mirror.leader());
  }

  @Test
  void anEventSeenBeforeIsIgnoredAndAGapAsksTheOwner() {
    mirror.told(told(1, 1, 0, present("p", "1")));
    mirror.told(told(1, 1, 0, present("p", "1")));
    assertEquals(1, delivered.size());
    assertEquals(0, refreshes);
    mirror.told(told(1, 3, 0, present("q", "2")));
    assertEquals(1, refreshes, "event 2 never came");

    // the owner's account as of event 3 fills what event 2 said
    mirror.company(new Peers.Company(1, 3, 0, "x", Map.of("q", new Json("2"))));
    assertEquals("x", mirror.leader());
    assertEquals(Map.of("q", new Json("2")), mirror.presence());
    assertEquals(List.of(present("p", "1"), present("q", "2"), led("x", null),
        present("p", null)), delivered);
  }

  @Test
  void anAccountNoNewerThanTheCopyChangesNothing() {
    mirror.told(told(1, 2, 0, led("x", null)));
    mirror.company(new Peers.Company(1, 2, 0, "x", Map.of()));
    mirror.company(new Peers.Company(1, 1, 0, null, Map.of()));
    mirror.company(new Peers.Company(0, 9, 0, null, Map.of()));
    assertEquals("x", mirror.leader());
    mirror.told(told(0, 5, 0, led("old", null)));
    assertEquals(List.of(led("x", null)), delivered, "news of an earlier holding is stale");
  }

  @Test
  void aNewHoldingStartsEmpty() {
    mirror.told(told(1, 1, 0, led("x", null)));
    mirror.told(told(1, 2, 0, present("p", "1")));
    delivered.clear();
    mirror.told(told(2, 1, 3, present("q", "2")));
    opsThrough(3);
    assertEquals(List.of(led(null, "x"), present("p", null), present("q", "2")), delivered);
    assertEquals(0, refreshes);
  }

  @Test
  void anOwnerGoneTakesItsClientsWithIt() {
    mirror.company(new Peers.Company(1, 4, 0, "x", Map.of("p", new Json("1"))));
    delivered.clear();
    mirror.ownerGone();
    assertEquals(List.of(led(null, "x"), present("p", null)), delivered);
    mirror.stop();
    assertEquals(Map.of(), mirror.presence());
  }

  @Test
  void stoppingForgetsTheHolding() {
    mirror.told(told(5, 1, 0, led("x", null)));
    mirror.told(told(5, 2, 0, present("p", "1")));
    mirror.stop();
    assertNull(mirror.leader());
    assertEquals(Map.of(), mirror.presence());
    mirror.told(told(1, 1, 0, led("y", null)));
    assertEquals("y", mirror.leader(), "after a stop any holding's news is new");
  }
}
