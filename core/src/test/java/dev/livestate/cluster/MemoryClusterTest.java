package dev.livestate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.engine.ManualClock;
import dev.livestate.engine.Ownership;
import dev.livestate.engine.Stores;
import dev.livestate.store.MemoryStore;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-process cluster as the core's own tests see it (the full contract runs in the
 * testkit): messages, membership and leases on a manual clock.
 */
@Fast
class MemoryClusterTest {
  private static final Duration TTL = Duration.ofSeconds(5);

  private final ManualClock clock = new ManualClock();
  private final MemoryCluster cluster = new MemoryCluster(clock);

  @Test
  void aMessageGoesToTheOtherNodesSubscriptionsOfItsRoomOnly() {
    Bus a = cluster.bus("a");
    Bus b = cluster.bus("b");
    assertEquals("a", a.node());
    List<Bus.Message> atA = new ArrayList<>();
    List<Bus.Message> atB = new ArrayList<>();
    a.subscribe("r", atA::add, new CapturedReply<>());
    Bus.Subscription sub = b.subscribe("r", atB::add, new CapturedReply<>());
    CapturedReply<Void> sent = new CapturedReply<>();
    a.publish("r", "1", sent);
    a.publish("other", "2", new CapturedReply<>());
    assertTrue(sent.isDone());
    assertEquals(List.of(new Bus.Message("a", "r", "1")), atB);
    assertEquals(List.of(), atA);

    sub.cancel();
    sub.cancel();
    a.publish("r", "3", new CapturedReply<>());
    assertEquals(1, atB.size());
    b.close();
    new MemoryCluster(clock).bus("c").subscribe("none", m -> { }, new CapturedReply<>())
        .cancel();
  }

  @Test
  void closingABusEndsItsSubscriptions() {
    Bus a = cluster.bus("a");
    Bus b = cluster.bus("b");
    List<Bus.Message> atB = new ArrayList<>();
    b.subscribe("r", atB::add, new CapturedReply<>());
    b.close();
    a.publish("r", "1", new CapturedReply<>());
    assertEquals(List.of(), atB);
  }

  @Test
  void nodesAreAliveUntilTheirHeartbeatRunsOutOrTheyLeave() {
    Bus b = cluster.bus("b");
    Bus a = cluster.bus("a");
    CapturedReply<Void> beat = new CapturedReply<>();
    b.heartbeat(TTL, beat);
    assertTrue(beat.isDone());
    a.heartbeat(TTL.multipliedBy(2), new CapturedReply<>());
    CapturedReply<List<String>> both = new CapturedReply<>();
    a.nodes(both);
    assertEquals(List.of("a", "b"), both.value());

    clock.advance(TTL);
    CapturedReply<List<String>> one = new CapturedReply<>();
    a.nodes(one);
    assertEquals(List.of("a"), one.value(), "a heartbeat lasts less than its ttl");
    CapturedReply<Void> left = new CapturedReply<>();
    a.leave(left);
    assertTrue(left.isDone());
    CapturedReply<List<String>> none = new CapturedReply<>();
    a.nodes(none);
    assertEquals(List.of(), none.value());
  }

  @Test
  void aHolderThatTakesOrRenewsItsLeaseAgainExtendsIt() {
    Leases a = cluster.leases("a");
    CapturedReply<Leases.Lease> first = new CapturedReply<>();
    a.acquire("r", TTL, first);
    clock.advance(Duration.ofSeconds(4));
    a.acquire("r", TTL, new CapturedReply<>());
    clock.advance(Duration.ofSeconds(4));
    CapturedReply<Leases.Lease> held = new CapturedReply<>();
    a.holder("r", held);
    assertEquals(first.value(), held.value());
    CapturedReply<Boolean> renewed = new CapturedReply<>();
    a.renew(first.value(), TTL, renewed);
    assertTrue(renewed.value());
    clock.advance(Duration.ofSeconds(4));
    CapturedReply<Leases.Lease> still = new CapturedReply<>();
    a.holder("r", still);
    assertEquals(first.value(), still.value());
    clock.advance(Duration.ofSeconds(1));
    CapturedReply<Leases.Lease> gone = new CapturedReply<>();
    a.holder("r", gone);
    assertNull(gone.value());
    a.close();
  }

  @Test
  void aSingleNodeOwnsEveryRoomAndAnUnsharedStoreCannotFence() {
    CapturedReply<Long> generation = new CapturedReply<>();
    Ownership.SOLE.claim("r", () -> { }, generation);
    assertEquals(0L, generation.value());
    CapturedReply<Void> fenced = new CapturedReply<>();
    MemoryStore memory = new MemoryStore();
    memory.fence("r", 1, failure -> fenced.done(null, failure));
    assertInstanceOf(UnsupportedOperationException.class, fenced.failure());
    assertTrue(Stores.of(memory, new MemoryStore()).durable() == memory);
  }

  @Test
  void generationsStartAgainWhenTheLeasesAreLostAndARaiseOutranksTheStore() {
    Leases a = cluster.leases("a");
    CapturedReply<Leases.Lease> first = new CapturedReply<>();
    a.acquire("r", TTL, first);
    CapturedReply<Leases.Lease> aboveStore = new CapturedReply<>();
    a.raise(first.value(), 10, aboveStore);
    assertEquals(11, aboveStore.value().generation());
    CapturedReply<Leases.Lease> aboveOwn = new CapturedReply<>();
    a.raise(aboveStore.value(), 0, aboveOwn);
    assertEquals(12, aboveOwn.value().generation());
    CapturedReply<Leases.Lease> stale = new CapturedReply<>();
    a.raise(first.value(), 0, stale);
    assertNull(stale.value(), "a lease no longer held is not raised");

    cluster.loseLeases();
    CapturedReply<Leases.Lease> forgotten = new CapturedReply<>();
    a.holder("r", forgotten);
    assertNull(forgotten.value());
    CapturedReply<Leases.Lease> again = new CapturedReply<>();
    cluster.leases("b").acquire("r", TTL, again);
    assertEquals(new Leases.Lease("r", "b", 1), again.value());
  }
}
