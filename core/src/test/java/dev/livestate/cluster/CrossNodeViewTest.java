package dev.livestate.cluster;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.engine.Engine;
import dev.livestate.engine.EngineListener;
import dev.livestate.engine.Lanes;
import dev.livestate.engine.ManualClock;
import dev.livestate.engine.Origin;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.Stores;
import dev.livestate.op.Json;
import dev.livestate.room.Position;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.FencingStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What a node that does not own a room knows of it (decision 026): room r is decided on a; c
 * has a reader of it, b has none. Attributes, the seal and the head on b and c are what a
 * holds once each has read the store, and a room made on a is found on b, which never knew it.
 */
@Fast
class CrossNodeViewTest {
  private static final Duration LEASE = Duration.ofSeconds(5);
  private static final Json HASH = new Json("\"scrypt$hash\"");
  private final ManualClock clock = new ManualClock();
  private final MemoryCluster cluster = new MemoryCluster(clock);
  private final FencingStore.Database db = new FencingStore.Database();
  private final RequestWire wire = new SameProcessWire();
  private final Engine a = engine("a");
  private final Engine b = engine("b");
  private final Engine c = engine("c");
  private final RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
  private final RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
  private final RoomHandle atC = c.open("r", RoomConfig.DEFAULT);

  CrossNodeViewTest() {
    write(atA, 1, 2); // a claims the room with its first request
    answer((Reply<dev.livestate.engine.Joined> r) -> atC.join(new RecordingSubscriber("on-c"),
        null, r));
  }

  private Engine engine(String node) {
    FencingStore shared = new FencingStore(db);
    return new Engine(clock, Lanes.direct(), Stores.of(shared, new MemoryStore()), () -> "e-" + node,
        EngineListener.NONE, Long.MAX_VALUE,
        new LeasedOwnership(cluster.leases(node), shared, LEASE, clock),
        new BusPeers(cluster.bus(node), wire, LEASE));
  }

  private static void write(RoomHandle room, long from, long to) {
    CapturedReply<List<Outcome>> acked = new CapturedReply<>();
    for (long i = from; i <= to; i++) {
      room.submit(Writer.of("w"), Origin.LOCAL,
          List.of(proposal(i, 0, put("k" + i, Long.toString(i)))), acked);
    }
    assertNull(acked.failure());
  }

  private static <T> T answer(Consumer<Reply<T>> request) {
    CapturedReply<T> reply = new CapturedReply<>();
    request.accept(reply);
    assertTrue(reply.isDone());
    assertNull(reply.failure());
    return reply.value();
  }

  @Test
  void anAttributePutThroughANodeThatDoesNotOwnTheRoomIsReadThereAtOnce() {
    answer((Reply<Void> r) -> atB.putAttribute("auth", HASH, r));

    assertEquals(HASH, atB.attribute("auth"), "b had the owner put it: b knows it");
    assertEquals(HASH, atA.attribute("auth"));
    assertEquals(Map.of("auth", HASH), atB.attributes("au"));
  }

  @Test
  void anAttributePutOnTheOwnerReachesAReaderNodeWithItsNextRead() {
    answer((Reply<Void> r) -> atA.putAttribute("session.1", HASH, r));
    assertNull(atC.attribute("session.1"), "not read yet");

    write(atA, 3, 3); // c reads the store for the batch, attributes and all
    assertEquals(HASH, atC.attribute("session.1"));
    answer((Reply<Void> r) -> atA.seal(r));
    write(atB, 4, 4); // refused, sealed; nothing new for c to read: the upkeep reads it
    c.tick();
    assertTrue(atC.sealed(), "c sees the seal");
  }

  @Test
  void findReadsTheAttributesAgainOnANodeWithNoReader() {
    answer((Reply<Void> r) -> atA.putAttribute("session.2", HASH, r));
    assertNull(atB.attribute("session.2"), "b does not follow the room");

    RoomHandle found = answer((Reply<RoomHandle> r) -> b.find("r", r));

    assertEquals(atB, found);
    assertEquals(HASH, atB.attribute("session.2"));
    assertEquals(atA.head(), atB.head(), "and its head, which b had never read");
  }

  @Test
  void theHeadOnAReaderNodeIsWhereItsReadersWereHanded() {
    write(atA, 3, 5);
    assertEquals(new Position("e-a", 5), atA.head());
    assertEquals(atA.head(), atC.head());
  }

  @Test
  void aRoomMadeOnAnotherNodeIsFoundOnANodeThatNeverKnewIt() {
    RoomHandle meet = a.open("meet:1", RoomConfig.DEFAULT);
    answer((Reply<Void> r) -> meet.putAttribute("meet.auth", HASH, r));
    write(meet, 1, 3);
    assertNull(b.room("meet:1"));

    RoomHandle found = answer((Reply<RoomHandle> r) -> b.find("meet:1", r));

    assertNotNull(found);
    assertEquals(HASH, found.attribute("meet.auth"));
    assertEquals(meet.head(), found.head());
    assertEquals(found, b.room("meet:1"), "known here from now on");
    assertNull(answer((Reply<RoomHandle> r) -> b.find("meet:2", r)), "no such room anywhere");
  }

  @Test
  void onOneNodeFindIsTheRoomItself() {
    Engine alone = new Engine(clock, Lanes.direct(), Stores.of(new MemoryStore(),
        new MemoryStore()), () -> "e");
    RoomHandle room = alone.open("solo", RoomConfig.DEFAULT);
    assertEquals(room, answer((Reply<RoomHandle> r) -> alone.find("solo", r)));
    assertNull(answer((Reply<RoomHandle> r) -> alone.find("other", r)));
  }
}
