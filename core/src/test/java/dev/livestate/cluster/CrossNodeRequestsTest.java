package dev.livestate.cluster;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.engine.Engine;
import dev.livestate.engine.EngineListener;
import dev.livestate.engine.Joined;
import dev.livestate.engine.Lanes;
import dev.livestate.engine.ManualClock;
import dev.livestate.engine.Origin;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomEvent;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.Stores;
import dev.livestate.op.Json;
import dev.livestate.room.Leadership;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.Outcome;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.FencingStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Three engines as three nodes (decision 024): room r is decided on a; b and c do not own it.
 * Leadership, presence, the stream and sealing asked of b are served by a, and every node's
 * subscribers hear of them, in order with the ops.
 */
@Fast
class CrossNodeRequestsTest {
  private static final Duration LEASE = Duration.ofSeconds(5);
  private final ManualClock clock = new ManualClock();
  private final MemoryCluster cluster = new MemoryCluster(clock);
  private final FencingStore.Database db = new FencingStore.Database();
  private final RequestWire wire = new SameProcessWire();
  /** What c's bus drops of the room news it receives (nothing unless a test says). */
  private Predicate<String> cLoses = body -> false;
  private final BusPeers peersOfA = new BusPeers(cluster.bus("a"), wire, LEASE);
  private final Engine a = engine("a", peersOfA);
  private final Engine b = engine("b", new BusPeers(cluster.bus("b"), wire, LEASE));
  private final BusPeers peersOfC =
      new BusPeers(new LossyBus(cluster.bus("c"), body -> cLoses.test(body)), wire, LEASE);
  private final Engine c = engine("c", peersOfC);
  private final RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
  private final RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
  private final RoomHandle atC = c.open("r", RoomConfig.DEFAULT);
  private final RecordingSubscriber onA = new RecordingSubscriber("on-a");
  private final RecordingSubscriber onC = new RecordingSubscriber("on-c");

  CrossNodeRequestsTest() {
    write(atA, "w", 1, 2); // a claims the room with its first request
    atA.join(onA, null, new CapturedReply<>());
    joined(atC, onC);
  }

  private Engine engine(String node, BusPeers peers) {
    FencingStore shared = new FencingStore(db);
    return new Engine(clock, Lanes.direct(), Stores.of(shared, new MemoryStore()), () -> "e",
        EngineListener.NONE, Long.MAX_VALUE,
        new LeasedOwnership(cluster.leases(node), shared, LEASE, clock), peers);
  }

  private static List<Outcome> write(RoomHandle room, String writer, long from, long to) {
    CapturedReply<List<Outcome>> acked = new CapturedReply<>();
    for (long i = from; i <= to; i++) {
      room.submit(Writer.of(writer), Origin.LOCAL,
          List.of(proposal(i, 0, put("k" + i, Long.toString(i)))), acked);
    }
    return acked.value();
  }

  private static Joined joined(RoomHandle room, RecordingSubscriber subscriber) {
    CapturedReply<Joined> joined = new CapturedReply<>();
    room.join(subscriber, null, joined);
    return joined.value();
  }

  private static <T> T answer(Consumer<Reply<T>> request) {
    CapturedReply<T> reply = new CapturedReply<>();
    request.accept(reply);
    assertNull(reply.failure());
    return reply.value();
  }

  private static RoomEvent.LeaderChanged led(String leader, String previous) {
    return new RoomEvent.LeaderChanged("r", leader, previous);
  }

  private static RoomEvent.PresenceChanged present(String clientId, String data) {
    return new RoomEvent.PresenceChanged("r", clientId, data == null ? null : new Json(data));
  }

  @Test
  void aLeaderClaimedThroughBIsSeenOnEveryNodeAndItsWritesReachThem() {
    Leadership granted = answer(reply -> atB.claimLeader("lead", reply));
    assertEquals(new Leadership.Granted(null), granted);
    assertEquals(List.of(led("lead", null)), onA.events(RoomEvent.LeaderChanged.class));
    assertEquals(List.of(led("lead", null)), onC.events(RoomEvent.LeaderChanged.class));
    assertEquals("lead", atA.leader());
    assertEquals("lead", atC.leader(), "a follower's handle knows the leader");
    assertEquals("lead", joined(atC, new RecordingSubscriber("late")).leader());

    assertEquals(List.of(new Outcome.Accepted(3, 3)), write(atB, "lead", 3, 3));
    assertEquals(List.of(3L), onA.relayedSeqs());
    assertEquals(List.of(3L), onC.relayedSeqs());

    assertEquals(true, answer((Reply<Boolean> reply) -> atB.releaseLeader("lead", reply)));
    assertEquals(led(null, "lead"), onC.events(RoomEvent.LeaderChanged.class).get(1));
    assertNull(atC.leader());
  }

  @Test
  void presenceSetThroughBIsSeenOnCAndInAJoinThere() {
    atB.setPresence("p", new Json("{\"at\": [1, 2]}"));
    assertEquals(List.of(present("p", "{\"at\": [1, 2]}")),
        onC.events(RoomEvent.PresenceChanged.class), "the value's text, character for character");
    assertEquals(Map.of("p", new Json("{\"at\": [1, 2]}")),
        joined(atC, new RecordingSubscriber("late")).presence());
    assertEquals(Map.of("p", new Json("{\"at\": [1, 2]}")), answer(atB::presence));

    atB.touchPresence("p");
    atB.removePresence("p");
    assertEquals(List.of(present("p", "{\"at\": [1, 2]}"), present("p", null)),
        onA.events(RoomEvent.PresenceChanged.class));
    assertEquals(Map.of(), joined(atC, new RecordingSubscriber("later")).presence());
  }

  @Test
  void theStreamAndTheSealWorkThroughB() {
    StreamMessage m = answer(reply -> atB.publish(5, new Json("\"hi\""), reply));
    assertEquals(new Json("\"hi\""), m.body());
    assertEquals(List.of(new RoomEvent.Published("r", m)),
        onC.events(RoomEvent.Published.class));
    assertEquals(List.of(m),
        answer((Reply<List<StreamMessage>> reply) -> atB.readStream(0, 10, reply)));

    answer((Reply<Void> reply) -> atB.putAttribute("secret", new Json("1"), reply));
    assertEquals(new Json("1"), atA.attribute("secret"));
    answer(atB::whenCommitted);
    answer(atB::seal);
    assertTrue(atA.sealed());
    assertEquals(List.of(new RoomEvent.Sealed("r")), onC.events(RoomEvent.Sealed.class));
  }

  @Test
  void anEventReachesAFollowersSubscribersOnlyAfterTheOpsBeforeIt() {
    cLoses = body -> !body.startsWith(BusPeers.EVENT); // c misses the news of op 3
    write(atA, "w", 3, 3);
    atB.claimLeader("lead", new CapturedReply<>());
    // the event came first, carrying seq 3: c read op 3 from the store and handed it on before
    List<RoomEvent> events = onC.events();
    assertEquals(2, events.size(), events.toString());
    assertEquals(List.of(3L), assertInstanceOf(RoomEvent.Relayed.class, events.get(0)).ops()
        .stream().map(op -> op.seq()).toList());
    assertEquals(led("lead", null), events.get(1));
  }

  @Test
  void aLostEventIsRepairedAtTheNextRefresh() {
    cLoses = body -> body.startsWith(BusPeers.EVENT);
    atB.claimLeader("lead", new CapturedReply<>());
    atB.setPresence("p", new Json("1"));
    assertNull(atC.leader());
    cLoses = body -> false;
    c.tick();
    assertEquals("lead", atC.leader());
    assertEquals(List.of(led("lead", null)), onC.events(RoomEvent.LeaderChanged.class));
    assertEquals(List.of(present("p", "1")), onC.events(RoomEvent.PresenceChanged.class));
    assertEquals(Map.of("p", new Json("1")),
        joined(atC, new RecordingSubscriber("late")).presence());
  }

  @Test
  void aGapInTheEventsIsRepairedAtOnce() {
    cLoses = body -> body.startsWith(BusPeers.EVENT);
    atB.setPresence("p", new Json("1"));
    cLoses = body -> false;
    atB.setPresence("q", new Json("2"));
    assertEquals(Map.of("p", new Json("1"), "q", new Json("2")),
        joined(atC, new RecordingSubscriber("late")).presence());
  }

  @Test
  void whenBLeavesTheLiveNodesItsClientsPresenceAndLeadershipGo() {
    atB.claimLeader("lead", new CapturedReply<>());
    atB.setPresence("p", new Json("1"));
    atA.setPresence("local", new Json("2"));
    CapturedReply<Boolean> lost = new CapturedReply<>();
    atB.leaderLeft("lead", Duration.ofMinutes(1), lost);
    assertTrue(!lost.isDone(), "the leader keeps the room for its grace");

    peersOfA.alive(List.of("a", "b", "c"));
    peersOfA.alive(List.of("a", "c"));

    assertEquals(true, lost.value(), "told once its node is gone, without waiting out the grace");
    assertNull(atA.leader());
    assertEquals(Map.of("local", new Json("2")), answer(atA::presence));
    assertEquals(List.of(led("lead", null), led(null, "lead")),
        onC.events(RoomEvent.LeaderChanged.class));
    assertEquals(List.of(present("p", "1"), present("local", "2"), present("p", null)),
        onC.events(RoomEvent.PresenceChanged.class));
  }

  @Test
  void aNodeSeenForTheFirstTimeIsNotTakenForGone() {
    atB.setPresence("p", new Json("1"));
    peersOfA.alive(List.of("a", "c"));
    assertEquals(Map.of("p", new Json("1")), answer(atA::presence));
  }

  @Test
  void theOthersClientsStayWhenANodeLeaves() {
    atB.setPresence("via-b", new Json("1"));
    atC.setPresence("via-c", new Json("2"));
    peersOfA.alive(List.of("a", "b", "c"));
    peersOfA.alive(List.of("a", "c"));
    assertEquals(Map.of("via-c", new Json("2")), answer(atA::presence));
  }

  @Test
  void whenTheOwnerLeavesTheLiveNodesAFollowerTellsItsReadersItsClientsWent() {
    atB.claimLeader("lead", new CapturedReply<>());
    atB.setPresence("p", new Json("1"));
    peersOfC.alive(List.of("a", "b", "c"));
    peersOfC.alive(List.of("b", "c"));
    assertNull(atC.leader());
    assertEquals(led(null, "lead"), onC.events(RoomEvent.LeaderChanged.class).get(1));
    assertEquals(present("p", null), onC.events(RoomEvent.PresenceChanged.class).get(1));
  }

  @Test
  void aNewOwnerStartsEmptyAndTheFollowersHearIt() {
    atB.claimLeader("lead", new CapturedReply<>());
    assertEquals("lead", atC.leader());
    clock.advance(LEASE.plusSeconds(1)); // a never renews: its lease runs out
    atB.setPresence("q", new Json("2")); // b takes the room, which starts with nobody
    assertEquals(Map.of("q", new Json("2")), answer(atB::presence));
    assertNull(atB.leader());
    assertNull(atC.leader(), "news of the new holding emptied c's copy");
    assertEquals(List.of(led("lead", null), led(null, "lead")),
        onC.events(RoomEvent.LeaderChanged.class));
    assertEquals(List.of(present("q", "2")), onC.events(RoomEvent.PresenceChanged.class));
  }
}
