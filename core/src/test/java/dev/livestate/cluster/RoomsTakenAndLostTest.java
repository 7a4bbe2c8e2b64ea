package dev.livestate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.engine.ManualClock;
import dev.livestate.store.MemoryStore;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The counts of rooms a node took and lost, as the metrics and the console show them: a new
 * holding counts once, a renewal never, and a loss once however it is noticed.
 */
@Fast
class RoomsTakenAndLostTest {
  private static final Duration LEASE = Duration.ofSeconds(5);

  private final ManualClock clock = new ManualClock();
  private final MemoryCluster cluster = new MemoryCluster(clock);
  private final MemoryStore shared = new MemoryStore();
  private final LeasedOwnership a = new LeasedOwnership(cluster.leases("a"), shared, LEASE, clock);
  private final LeasedOwnership b = new LeasedOwnership(cluster.leases("b"), shared, LEASE, clock);
  private final AtomicInteger toldALost = new AtomicInteger();

  private long claim(LeasedOwnership node, String room) {
    CapturedReply<Long> generation = new CapturedReply<>();
    node.claim(room, toldALost::incrementAndGet, generation);
    return generation.value();
  }

  @Test
  void aNewHoldingCountsOnceAndARenewalNever() {
    assertEquals(1, claim(a, "r"));
    claim(a, "r");
    a.renew();
    claim(a, "s");
    assertEquals(2, a.roomsTaken());
    assertEquals(0, a.roomsLost());
    assertEquals(List.of("r", "s"), a.rooms());
  }

  @Test
  void aRoomAnotherNodeTookIsCountedLostOnceWhenTheRenewalFinds() {
    claim(a, "r");
    clock.advance(LEASE.plusSeconds(1));
    assertEquals(2, claim(b, "r"));
    a.renew();
    a.renew();
    assertEquals(1, a.roomsLost());
    assertEquals(1, toldALost.get(), "told once, though renewed twice");
    assertEquals(List.of(), a.rooms());
    assertEquals(1, b.roomsTaken());
  }

  @Test
  void aRoomTakenBackBeforeItsLossWasNoticedCountsAsLostAndTakenAgain() {
    claim(a, "r");
    clock.advance(LEASE.plusSeconds(1));
    claim(b, "r");
    clock.advance(LEASE.plusSeconds(1));
    assertEquals(3, claim(a, "r"));
    assertEquals(2, a.roomsTaken());
    assertEquals(1, a.roomsLost());
    assertEquals(1, toldALost.get(), "the old holding is told it was lost");
  }
}
