package dev.livestate.cluster;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.engine.Engine;
import dev.livestate.engine.EngineListener;
import dev.livestate.engine.Lanes;
import dev.livestate.engine.ManualClock;
import dev.livestate.engine.Origin;
import dev.livestate.engine.Ownership;
import dev.livestate.engine.Peers;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.Stores;
import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.FencingStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two engines as two nodes (decision 015): leases from one {@link MemoryCluster} on a manual
 * clock, each engine's view of one shared store that fences as the JDBC stores do.
 */
@Fast
class LeasedOwnershipTest {
  private static final Duration LEASE = Duration.ofSeconds(5);

  private final ManualClock clock = new ManualClock();
  private final MemoryCluster cluster = new MemoryCluster(clock);
  private final FencingStore.Database db = new FencingStore.Database();
  private final FencingStore storeA = new FencingStore(db);
  private final FencingStore storeB = new FencingStore(db);
  private final LeasedOwnership ownerA =
      new LeasedOwnership(cluster.leases("a"), storeA, LEASE, clock);
  private final LeasedOwnership ownerB =
      new LeasedOwnership(cluster.leases("b"), storeB, LEASE, clock);
  private final Engine a = engine(storeA, ownerA);
  private final Engine b = engine(storeB, ownerB);

  private Engine engine(FencingStore shared, LeasedOwnership ownership) {
    return new Engine(clock, Lanes.direct(), Stores.of(shared, new MemoryStore()), () -> "e",
        EngineListener.NONE, Long.MAX_VALUE, ownership, Peers.NONE);
  }

  private static CapturedReply<List<Outcome>> submit(RoomHandle room, String writer,
      long localSeq, String value) {
    CapturedReply<List<Outcome>> reply = new CapturedReply<>();
    room.submit(Writer.of(writer), Origin.LOCAL, List.of(proposal(localSeq, 0, put("k", value))),
        reply);
    return reply;
  }

  private static Map<String, Json> state(RoomHandle room) {
    CapturedReply<CatchUp.Snapshot> s = new CapturedReply<>();
    room.snapshot(s);
    return s.value().values();
  }

  @Test
  void aRoomIsDecidedByTheNodeThatClaimedItAndTheOtherIsToldWhichNode() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    assertEquals(List.of(new Outcome.Accepted(1, 1)), submit(atA, "w", 1, "1").value());
    assertEquals(List.of("r"), ownerA.rooms());
    assertTrue(ownerA.holds("r"));
    assertFalse(ownerB.holds("r"));
    assertEquals("a", ownerA.node());

    CapturedReply<CatchUp> read = new CapturedReply<>();
    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    atB.catchUp(null, read);
    assertEquals(1, assertInstanceOf(CatchUp.Snapshot.class, read.value()).head().seq(),
        "a catch-up is read from the store");
    CapturedReply<Map<String, Json>> asked = new CapturedReply<>();
    atB.presence(asked);
    assertTrue(asked.failure().getMessage().startsWith("room r is served by node a"),
        asked.failure().getMessage());
    assertEquals(Map.of("k", new Json("1")), state(atB), "a snapshot is read from the store");
    assertEquals(List.of(), ownerB.rooms());
  }

  @Test
  void renewedLeasesKeepTheirRoomsAndALostOneMovesTheRoomsSubscribers() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    RecordingSubscriber sub = new RecordingSubscriber("s");
    atA.join(sub, null, new CapturedReply<>());
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(2));
      ownerA.renew();
    }
    assertTrue(ownerA.holds("r"), "renewed every 2 s, a 5 s lease holds");
    assertFalse(sub.isClosed());

    clock.advance(LEASE.plusSeconds(1));
    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    assertEquals(List.of(new Outcome.Accepted(1, 1)), submit(atB, "v", 1, "20").value());
    ownerA.renew();
    assertEquals(List.of("moved"), sub.closes());
    assertEquals(List.of(), ownerA.rooms());
    // without a bus to hand it over on, the submit is refused naming the owner
    Throwable refused = submit(atA, "w", 1, "9").failure();
    assertTrue(refused.getMessage().contains("served by node b"), refused.getMessage());
  }

  @Test
  void aNodeTakingARoomLoadsItFromTheStoreAndTheOldOwnersResendIsAnsweredFromTheLedger() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    submit(atA, "w", 1, "1");
    submit(atA, "w", 2, "2");
    clock.advance(LEASE.plusSeconds(1));

    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    assertEquals(Map.of("k", new Json("2")), state(atB));
    assertEquals(List.of(new Outcome.Accepted(2, 2)), submit(atB, "w", 2, "2").value());
    assertEquals(List.of(new Outcome.Accepted(3, 3)), submit(atB, "w", 3, "3").value());
  }

  @Test
  void anOwnerWhoseLeaseWasTakenBeforeItNoticedIsFencedAndAClaimBelowTheStoreIsRaised() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    submit(atA, "w", 1, "1");
    cluster.loseLeases(); // Redis restarted empty: b's claim gets generation 1 again
    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    assertEquals(List.of(new Outcome.Accepted(1, 2)), submit(atB, "v", 1, "20").value());

    Throwable fenced = submit(atA, "w", 2, "99").failure();
    assertTrue(fenced.getMessage().contains("later owner"), fenced.getMessage());
    assertEquals(Map.of("k", new Json("20")), state(atB));
  }

  @Test
  void releasedRoomsAreTakenAtOnceAndRoomsOfOtherStoresAreNeverClaimed() {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    submit(atA, "w", 1, "1");
    CapturedReply<Void> released = new CapturedReply<>();
    ownerA.releaseAll(released);
    assertTrue(released.isDone());
    assertEquals(List.of(), ownerA.rooms());
    assertEquals(Map.of("k", new Json("1")), state(b.open("r", RoomConfig.DEFAULT)));

    CapturedReply<Void> nothing = new CapturedReply<>();
    ownerA.releaseAll(nothing);
    assertTrue(nothing.isDone());

    RoomConfig ephemeral = RoomConfig.DEFAULT.withDurable(false);
    assertEquals(List.of(new Outcome.Accepted(1, 1)),
        submit(a.open("e", ephemeral), "w", 1, "7").value());
    assertEquals(List.of(new Outcome.Accepted(1, 1)),
        submit(b.open("e", ephemeral), "w", 1, "8").value());
  }

  @Test
  void claimingAboveAStoredGenerationNeedsTheRoomHeld() {
    CapturedReply<Long> none = new CapturedReply<>();
    ownerA.claimAbove("r", 3, none);
    assertTrue(none.failure().getMessage().contains("not this node's"));

    CapturedReply<Long> sole = new CapturedReply<>();
    Ownership.SOLE.claimAbove("r", 3, sole);
    assertTrue(sole.failure().getMessage().contains("single node"));
    assertTrue(Ownership.SOLE.holds("r"));
    assertFalse(Ownership.SOLE.governs(new MemoryStore()));
  }

  /** Leases that fail every call while {@link #down}, as a Redis out of reach. */
  private static final class Unreachable implements Leases {
    private final Leases leases;
    boolean down;

    Unreachable(Leases leases) {
      this.leases = leases;
    }

    private boolean failed(Reply<?> reply) {
      if (down) {
        reply.done(null, new IllegalStateException("no connection"));
      }
      return down;
    }

    @Override
    public String node() {
      return leases.node();
    }

    @Override
    public void acquire(String room, Duration ttl, Reply<Lease> holder) {
      if (!failed(holder)) {
        leases.acquire(room, ttl, holder);
      }
    }

    @Override
    public void renew(Lease lease, Duration ttl, Reply<Boolean> renewed) {
      if (!failed(renewed)) {
        leases.renew(lease, ttl, renewed);
      }
    }

    @Override
    public void raise(Lease lease, long stored, Reply<Lease> raised) {
      if (!failed(raised)) {
        leases.raise(lease, stored, raised);
      }
    }

    @Override
    public void release(Lease lease, Reply<Void> done) {
      leases.release(lease, done);
    }

    @Override
    public void holder(String room, Reply<Lease> holder) {
      leases.holder(room, holder);
    }

    @Override
    public void close() {}
  }

  @Test
  void aBusOutOfReachFailsClaimsAndARoomIsGivenUpOnlyOnceItsLeaseCouldHaveRunOut() {
    Unreachable leases = new Unreachable(cluster.leases("c"));
    LeasedOwnership c = new LeasedOwnership(leases, storeA, LEASE, clock);
    List<String> lost = new ArrayList<>();
    CapturedReply<Long> claimed = new CapturedReply<>();
    c.claim("r", () -> lost.add("r"), claimed);
    assertEquals(1L, claimed.value());

    leases.down = true;
    CapturedReply<Long> refused = new CapturedReply<>();
    c.claim("s", () -> { }, refused);
    assertTrue(refused.failure().getMessage().contains("no connection"));
    CapturedReply<Long> notRaised = new CapturedReply<>();
    c.claimAbove("r", 5, notRaised);
    assertTrue(notRaised.failure().getMessage().contains("no connection"));

    clock.advance(Duration.ofMillis(4_999));
    c.renew();
    assertEquals(List.of(), lost, "the lease may still be this node's");
    assertTrue(c.holds("r"));
    clock.advance(Duration.ofMillis(1));
    assertFalse(c.holds("r"), "a lease lasts less than its ttl");
    c.renew();
    assertEquals(List.of("r"), lost);
    assertEquals(List.of(), c.rooms());
  }

  @Test
  void aNewHoldingOfARoomStillClaimedTellsTheOldOneAndRoomsAreListedByName() {
    List<String> lost = new ArrayList<>();
    CapturedReply<Long> first = new CapturedReply<>();
    ownerA.claim("z", () -> lost.add("first"), first);
    ownerA.claim("m", () -> { }, new CapturedReply<>());
    assertEquals(List.of("m", "z"), ownerA.rooms());
    CapturedReply<Leases.Lease> held = new CapturedReply<>();
    cluster.leases("a").holder("z", held);
    cluster.leases("a").release(held.value(), new CapturedReply<>());

    CapturedReply<Long> second = new CapturedReply<>();
    ownerA.claim("z", () -> { }, second);
    assertTrue(second.value() > first.value());
    assertEquals(List.of("first"), lost);
    ownerA.claim("z", () -> lost.add("same"), new CapturedReply<>());
    assertEquals(List.of("first"), lost, "the same holding taken again is no loss");

    cluster.loseLeases();
    CapturedReply<Long> gone = new CapturedReply<>();
    ownerA.claimAbove("z", 9, gone);
    assertTrue(gone.failure().getMessage().contains("not this node's any more"));
  }
}
