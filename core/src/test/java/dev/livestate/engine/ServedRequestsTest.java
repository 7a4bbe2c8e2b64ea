package dev.livestate.engine;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.cluster.LeasedOwnership;
import dev.livestate.cluster.MemoryCluster;
import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.FencingStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What a node serves when another node hands it a room's request (decision 024): the requests
 * arrive through the {@link Peers.Owner} the engine gives its peers, as the test hands them in.
 */
@Fast
class ServedRequestsTest {
  private static final Duration LEASE = Duration.ofSeconds(5);
  private final ManualClock clock = new ManualClock();
  private final MemoryCluster cluster = new MemoryCluster(clock);
  private final FencingStore.Database db = new FencingStore.Database();
  private final HandingPeers peers = new HandingPeers();
  private final Engine a = engine("a", peers);
  private final Engine b = engine("b", Peers.NONE);

  /** Peers that keep the engine's owner and record what the engine hands on. */
  private static final class HandingPeers implements Peers {
    Owner owner;
    final List<RoomRequest<?>> forwarded = new ArrayList<>();

    @Override
    public void committed(String room, String epoch, long from, long through) {}

    @Override
    public void told(String room, Told told) {}

    @Override
    public Following follow(String room, Consumer<News> news, Reply<Void> ready) {
      ready.done(null, null);
      return () -> { };
    }

    @Override
    public <A> void forward(String owner, String room, RoomRequest<A> request, Reply<A> reply) {
      forwarded.add(request);
      reply.done(null, new IllegalStateException("not in this test"));
    }

    @Override
    public void serve(Owner owner, Reply<Void> ready) {
      this.owner = owner;
      ready.done(null, null);
    }
  }

  private Engine engine(String node, Peers of) {
    FencingStore shared = new FencingStore(db);
    return new Engine(clock, Lanes.direct(), Stores.of(shared, new MemoryStore()), () -> "e",
        EngineListener.NONE, Long.MAX_VALUE,
        new LeasedOwnership(cluster.leases(node), shared, LEASE, clock), of);
  }

  private <A> CapturedReply<A> served(String room, RoomRequest<A> request) {
    CapturedReply<A> reply = new CapturedReply<>();
    peers.owner.serve("c", room, request, reply);
    return reply;
  }

  @Test
  void aRoomAnotherNodeMadeIsLoadedFromTheStoreAndARequestServedHereIsNotHandedOn() {
    b.open("r", RoomConfig.DEFAULT).submit(Writer.of("w"), Origin.LOCAL,
        List.of(proposal(1, 0, put("k", "1"))), new CapturedReply<>());
    assertNull(a.room("r"));

    CapturedReply<Map<String, Json>> refused = served("r", new RoomRequest.Presence());
    assertEquals("b", assertInstanceOf(Ownership.NotOwner.class, refused.failure()).owner());
    assertEquals(List.of(), peers.forwarded, "served for another node: never handed on");
    assertNotNull(a.room("r"), "loaded from the store");

    clock.advance(LEASE.plusSeconds(1)); // b's lease runs out: a takes the room
    assertTrue(served("r", new RoomRequest.SetPresence("p", new Json("1"))).isDone());
    assertTrue(served("r", new RoomRequest.TouchPresence("p")).isDone());
    assertEquals(Map.of("p", new Json("1")), served("r", new RoomRequest.Presence()).value());
    assertTrue(served("r", new RoomRequest.RemovePresence("p")).isDone());
    assertEquals(Map.of(), served("r", new RoomRequest.Presence()).value());
  }

  @Test
  void aRoomNoStoreHoldsIsRefused() {
    CapturedReply<Map<String, Json>> refused = served("none", new RoomRequest.Presence());
    assertEquals("room none is not in the shared store", refused.failure().getMessage());
    assertNull(a.room("none"));
  }

  @Test
  void aSingleNodeKnowsOnlyItsOwnRooms() {
    HandingPeers alone = new HandingPeers();
    new Engine(clock, Lanes.direct(), Stores.of(new MemoryStore(), new MemoryStore()), () -> "e",
        EngineListener.NONE, Long.MAX_VALUE, Ownership.SOLE, alone);
    CapturedReply<Void> refused = new CapturedReply<>();
    alone.owner.serve("c", "r", new RoomRequest.Seal(), refused);
    assertEquals("room r is not known on this node", refused.failure().getMessage());
    CapturedReply<Void> ready = new CapturedReply<>();
    Peers.NONE.serve(alone.owner, ready);
    assertTrue(ready.isDone());
  }

  @Test
  void aRoomRetakenByItsNodeStartsWithNobodyPresent() {
    RoomHandle r = a.open("r", RoomConfig.DEFAULT);
    r.setPresence("p", new Json("1"));
    CapturedReply<Map<String, Json>> before = new CapturedReply<>();
    r.presence(before);
    assertEquals(Map.of("p", new Json("1")), before.value());
    clock.advance(LEASE.plusSeconds(1)); // a never renewed: its holding ran out
    CapturedReply<Map<String, Json>> after = new CapturedReply<>();
    r.presence(after);
    assertEquals(Map.of(), after.value(), "a new holding starts as after a restart");
  }
}
