package dev.livestate.store.jdbc;

import static dev.livestate.testkit.cluster.ClusterContract.answer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.cluster.LeasedOwnership;
import dev.livestate.cluster.MemoryCluster;
import dev.livestate.engine.Engine;
import dev.livestate.engine.EngineListener;
import dev.livestate.engine.Lanes;
import dev.livestate.engine.Peers;
import dev.livestate.engine.ManualClock;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.Stores;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.store.Store;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines in one JVM as two nodes of a cluster (decision 015): each with its own store on
 * the same PostgreSQL tables, their leases from one {@link MemoryCluster} on a manual clock. A
 * room is decided by the node that claimed it; the other is told who serves it; when the lease
 * runs out the other node takes the room from the store, and the old owner commits nothing more.
 */
class ClusterEnginesTest {
  private static final ServerDatabase DB = ServerDatabase.postgres();
  private static final Duration LEASE = Duration.ofSeconds(5);

  private final ManualClock clock = new ManualClock();
  private final MemoryCluster cluster = new MemoryCluster(clock);
  private final List<Engine> engines = new ArrayList<>();
  private LeasedOwnership ownerA;
  private Engine a;
  private Engine b;

  @BeforeEach
  void startTwoNodes() throws Exception {
    DB.require();
    // the tables exist once a store has opened them; emptied before any node recovers
    JdbcStore.connect(DB.url, DB.user, DB.password, DB.prefix).close();
    DB.clear();
    ownerA = node("a");
    a = engines.get(0);
    node("b");
    b = engines.get(1);
  }

  private LeasedOwnership node(String name) {
    Store shared = JdbcStore.connect(DB.url, DB.user, DB.password, DB.prefix);
    LeasedOwnership ownership =
        new LeasedOwnership(cluster.leases(name), shared, LEASE, clock);
    Engine e = new Engine(clock, Lanes.threads(1), Stores.of(shared, new MemoryStore()),
        Engine.randomEpochs(), EngineListener.NONE, Long.MAX_VALUE, ownership, Peers.NONE);
    e.recover();
    engines.add(e);
    return ownership;
  }

  @AfterEach
  void stop() {
    engines.forEach(Engine::close);
  }

  @AfterAll
  static void dropTables() throws Exception {
    ServerDatabaseContract.dropTablesOf(DB);
  }

  private static Throwable refusal(Consumer<Reply<Object>> call) throws Exception {
    try {
      Object v = answer(call);
      throw new AssertionError("answered " + v);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private static List<Outcome> put(RoomHandle room, String writer, long localSeq, String value)
      throws Exception {
    return answer((Reply<List<Outcome>> r) -> room.submit(Writer.of(writer),
        dev.livestate.engine.Origin.LOCAL, List.of(new Proposal(localSeq, 0,
            Change.Put.of("k", new Json(value)))), r));
  }

  private static Map<String, Json> state(RoomHandle room) throws Exception {
    CatchUp.Snapshot s = answer(room::snapshot);
    return s.values();
  }

  @Test
  void aRoomIsDecidedByTheNodeThatClaimedItAndTheOtherIsToldWhich() throws Exception {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    assertEquals(List.of(new Outcome.Accepted(1, 1)), put(atA, "w", 1, "1"));
    assertEquals(List.of("r"), ownerA.rooms());

    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    // b has no bus to hand the room's requests to a (Peers.NONE): they are refused naming a
    Throwable refused = refusal(r -> atB.publish(0, new Json("1"), (m, f) -> r.done(m, f)));
    assertTrue(refused.getMessage().contains("served by node a"), refused.getMessage());
    assertEquals(1, answer((Reply<CatchUp> r) -> atB.catchUp(null, r)).head().seq(),
        "b's catch-up is read from the store");
    assertEquals(List.of(new Outcome.Accepted(2, 2)), put(atA, "w", 2, "2"),
        "b's open changed nothing of a's room");
    assertEquals(Map.of("k", new Json("2")), state(atB), "b's snapshot is read from the store");
    assertEquals(List.of("r"), ownerA.rooms());
  }

  @Test
  void whenTheOwnersLeaseRunsOutAnotherNodeTakesTheRoomFromTheStoreAndTheOldOwnerIsRefused()
      throws Exception {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    put(atA, "w", 1, "1");
    put(atA, "w", 2, "2");

    // a is paused: it renews nothing, and its lease runs out
    clock.advance(LEASE.plusSeconds(1));
    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    assertEquals(Map.of("k", new Json("2")), state(atB), "b took the room as a left it");
    assertEquals(List.of(new Outcome.Accepted(1, 3)), put(atB, "v", 1, "3"));

    // a wakes up: its lease ran out unrenewed, so it asks again and is told who serves the room
    Throwable moved = refusal(r -> atA.submit(Writer.of("w"), dev.livestate.engine.Origin.LOCAL,
        List.of(new Proposal(3, 2, Change.Put.of("k", new Json("stale")))),
        (o, f) -> r.done(o, f)));
    assertTrue(moved.getMessage().contains("served by node b"), moved.getMessage());
    assertEquals(Map.of("k", new Json("3")), state(atB));

    // the resend of a's acked change reaches b: the stored ledger answers it, nothing twice
    assertEquals(List.of(new Outcome.Accepted(2, 2)), put(atB, "w", 2, "2"));
    assertEquals(3, answer((Reply<CatchUp> r) -> atB.catchUp(null, r)).head().seq());
  }

  @Test
  void aCoordinatorThatLostItsGenerationsStillGivesTheRoomToOneOwnerAtATime() throws Exception {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    put(atA, "w", 1, "1");
    clock.advance(LEASE.plusSeconds(1));
    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    put(atB, "v", 1, "2"); // the room's row now holds generation 2

    // Redis restarts empty: its next generation for the room is 1 again, below the stored 2
    cluster.loseLeases();
    clock.advance(LEASE.plusSeconds(1));
    assertEquals(Map.of("k", new Json("2")), state(atA), "a took the room back all the same");
    assertEquals(List.of(new Outcome.Accepted(2, 3)), put(atA, "w", 2, "3"));
    Throwable moved = refusal(r -> atB.submit(Writer.of("v"), dev.livestate.engine.Origin.LOCAL,
        List.of(new Proposal(2, 2, Change.Put.of("k", new Json("stale")))),
        (o, f) -> r.done(o, f)));
    assertTrue(moved.getMessage().contains("served by node a"), moved.getMessage());
    assertEquals(Map.of("k", new Json("3")), state(atA));
  }

  @Test
  void anOwnerWhoseLeaseWasTakenBeforeItNoticedCommitsNothing() throws Exception {
    RoomHandle atA = a.open("r", RoomConfig.DEFAULT);
    put(atA, "w", 1, "1");
    // the coordinator hands the room to b while a's own reckoning says its lease still holds
    // (clocks apart, or a lost renewal reply): only the store's fence stands between them
    cluster.loseLeases();
    RoomHandle atB = b.open("r", RoomConfig.DEFAULT);
    assertEquals(List.of(new Outcome.Accepted(1, 2)), put(atB, "v", 1, "2"));

    Throwable fenced = refusal(r -> atA.submit(Writer.of("w"), dev.livestate.engine.Origin.LOCAL,
        List.of(new Proposal(2, 1, Change.Put.of("k", new Json("stale")))),
        (o, f) -> r.done(o, f)));
    assertTrue(fenced.getMessage().contains("later owner"), fenced.getMessage());
    assertEquals(Map.of("k", new Json("2")), state(atB));
  }
}
