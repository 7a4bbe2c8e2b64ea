package dev.livestate.cluster;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.engine.Engine;
import dev.livestate.engine.EngineListener;
import dev.livestate.engine.Joined;
import dev.livestate.engine.Lanes;
import dev.livestate.engine.ManualClock;
import dev.livestate.engine.Origin;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.Stores;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.store.StoredRoom;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.FencingStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Deletes in a cluster (decision 028): room r is decided on a, read on b and c. A delete asked
 * of any node is the owner's, and every node drops the room and closes its readers "deleted".
 */
@Fast
class CrossNodeDeleteTest {
  private static final Duration LEASE = Duration.ofSeconds(5);
  private final ManualClock clock = new ManualClock();
  private final MemoryCluster cluster = new MemoryCluster(clock);
  private final FencingStore.Database db = new FencingStore.Database();
  private final FencingStore storeOfA = new FencingStore(db);
  private final LeasedOwnership leasesOfA = new LeasedOwnership(cluster.leases("a"), storeOfA,
      LEASE, clock);
  private final RequestWire wire = new SameProcessWire();
  private final Engine a = engine("a", storeOfA, leasesOfA);
  private final Engine b = engine("b", new FencingStore(db));
  private final Engine c = engine("c", new FencingStore(db));
  private final RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
  private final RecordingSubscriber onA = new RecordingSubscriber("on-a");
  private final RecordingSubscriber onB = new RecordingSubscriber("on-b");
  private final RecordingSubscriber onC = new RecordingSubscriber("on-c");

  CrossNodeDeleteTest() {
    write(atA, 1, 2); // a claims the room with its first request
    answer((Reply<Joined> r) -> atA.join(onA, null, r));
    answer((Reply<Joined> r) -> b.open("r", RoomConfig.DEFAULT).join(onB, null, r));
    answer((Reply<Joined> r) -> c.open("r", RoomConfig.DEFAULT).join(onC, null, r));
  }

  private Engine engine(String node, FencingStore shared) {
    return engine(node, shared, new LeasedOwnership(cluster.leases(node), shared, LEASE, clock));
  }

  private Engine engine(String node, FencingStore shared, LeasedOwnership ownership) {
    return new Engine(clock, Lanes.direct(), Stores.of(shared, new MemoryStore()),
        () -> "e-" + node + "-" + clock.millis(), EngineListener.NONE, Long.MAX_VALUE,
        ownership, new BusPeers(cluster.bus(node), wire, LEASE));
  }

  private static List<Outcome> write(RoomHandle room, long from, long to) {
    CapturedReply<List<Outcome>> acked = new CapturedReply<>();
    for (long i = from; i <= to; i++) {
      room.submit(Writer.of("w"), Origin.LOCAL,
          List.of(proposal(i, 0, put("k" + i, Long.toString(i)))), acked);
    }
    assertNull(acked.failure());
    return acked.value();
  }

  private static <T> T answer(Consumer<Reply<T>> request) {
    CapturedReply<T> reply = new CapturedReply<>();
    request.accept(reply);
    assertTrue(reply.isDone());
    assertNull(reply.failure());
    return reply.value();
  }

  private StoredRoom stored(String room) {
    return answer((Reply<StoredRoom> r) -> storeOfA.load(room, clock.millis(), r::done));
  }

  @Test
  void aDeleteAskedOfANodeThatDoesNotOwnTheRoomIsTheOwnersAndEveryNodeDropsTheRoom() {
    answer((Reply<Void> r) -> b.delete("r", r));

    assertNull(stored("r"), "gone from the shared store");
    assertNull(a.room("r"));
    assertNull(b.room("r"));
    assertNull(c.room("r"), "c heard it from the owner");
    assertEquals(List.of("deleted"), onA.closes());
    assertEquals(List.of("deleted"), onB.closes());
    assertEquals(List.of("deleted"), onC.closes());
  }

  @Test
  void aDeleteOfARoomThisNodeNeverKnewReachesTheOwner() {
    RoomHandle made = a.open("elsewhere", RoomConfig.DEFAULT);
    write(made, 1, 1);
    assertNull(b.room("elsewhere"));

    answer((Reply<Void> r) -> b.delete("elsewhere", r));

    assertNull(stored("elsewhere"));
    assertNull(a.room("elsewhere"));
    assertNull(b.room("elsewhere"), "b loaded it to ask the owner, and dropped it once deleted");
    answer((Reply<Void> r) -> b.delete("nowhere", r)); // no such room anywhere: nothing to do
  }

  @Test
  void theOwnerGivesTheRoomUpSoANewRoomOfTheNameIsMadeWhereItIsAskedFor() {
    answer((Reply<Void> r) -> c.delete("r", r));

    RoomHandle again = b.open("r", RoomConfig.DEFAULT);
    List<Outcome> acked = write(again, 1, 1);

    assertInstanceOf(Outcome.Accepted.class, acked.get(0));
    assertEquals(1, ((Outcome.Accepted) acked.get(0)).seq(), "a new room starts at seq 1");
    assertTrue(b.decides("r"), "b claimed it: a gave the room up when it deleted it");
    assertEquals(List.of(), leasesOfA.rooms());
    assertEquals(1, leasesOfA.roomsLost(), "given up: counted as the room leaving a");
    assertEquals(1, stored("r").head());
    RecordingSubscriber late = new RecordingSubscriber("late");
    Joined joined = answer((Reply<Joined> r) -> a.open("r", RoomConfig.DEFAULT).join(late, null,
        r));
    assertNotNull(joined);
    assertEquals(List.of(), late.closes(), "the old room's deletion does not close the new one");
  }

  @Test
  void aDeleteIsDecidedByWhoeverHoldsTheRoomNowNotByANodeWhoseLeaseRanOut() {
    clock.advance(LEASE.plusSeconds(1)); // a did not renew: b may take the room
    write(b.room("r"), 3, 3);
    assertTrue(b.decides("r"));
    assertFalse(a.decides("r"));

    answer((Reply<Void> r) -> a.delete("r", r));

    assertNull(stored("r"));
    assertNull(b.room("r"), "b, the owner, deleted it");
    assertNull(a.room("r"));
  }

  @Test
  void exactlyOneNodeDecidesARoomSoUpkeepThatDeletesRunsOnce() {
    assertTrue(a.decides("r"));
    assertFalse(b.decides("r"));
    assertFalse(c.decides("r"));
    assertFalse(a.decides("unknown"));
  }
}
