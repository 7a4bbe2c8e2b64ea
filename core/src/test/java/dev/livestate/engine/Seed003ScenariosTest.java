package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.Position;
import dev.livestate.room.Role;
import dev.livestate.room.RoomConfig;
import dev.livestate.state.Entry;
import dev.livestate.store.MemoryStore;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.SyncClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The scenarios of seed 003 (OpenLifter live meets), sections "Normal, fault-free scenarios" and
 * "Fault tolerance / conflict resolution scenarios", as engine calls. Clients are
 * {@link SyncClient} models: a client offline is one that is not subscribed and keeps its
 * changes pending; coming back, it sends them (made against its old base seq) and catches up
 * from the last seq it saw. Each test ends with every client holding the room's state at its
 * head, with nothing pending, and no gap or duplicate seen on the way.
 */
@Fast
class Seed003ScenariosTest {
  private static final String MEET = "meet-123456789";
  private static final String WEIGHT = "lifter.1.squat1";
  private static final String NAME = "lifter.2.name";

  private final ManualClock clock = new ManualClock();
  private final AtomicInteger epochs = new AtomicInteger();

  private Engine engine(MemoryStore store) {
    return new Engine(clock, Lanes.direct(), Stores.of(store, store),
        () -> "epoch-" + epochs.incrementAndGet());
  }

  private RoomHandle meet(RoomConfig config) {
    return engine(new MemoryStore()).open(MEET, config);
  }

  private static SyncClient writer(String id, int priority) {
    return new SyncClient(id, Role.WRITER, priority);
  }

  private static Json json(String text) {
    return new Json(text);
  }

  private static CatchUp.Snapshot snapshot(RoomHandle room) {
    CapturedReply<CatchUp.Snapshot> reply = new CapturedReply<>();
    room.snapshot(reply);
    return reply.value();
  }

  private static CatchUp catchUp(RoomHandle room, Position since) {
    CapturedReply<CatchUp> reply = new CapturedReply<>();
    room.catchUp(since, reply);
    return reply.value();
  }

  private static void assertConverged(RoomHandle room, SyncClient... clients) {
    CatchUp.Snapshot server = snapshot(room);
    for (SyncClient c : clients) {
      assertEquals(List.of(), c.problems(), c.id() + ": no gap, no duplicate, no echo");
      assertEquals(List.of(), c.pending(), c.id() + ": nothing pending");
      assertEquals(server.head(), c.seen(), c.id() + ": at the room's head");
      assertEquals(server.values(), c.canonical(), c.id() + ": the room's state");
      assertEquals(server.values(), c.view(), c.id() + ": shows the room's state");
    }
  }

  /** Fault-free: A's updates are numbered, relayed to B and acked to A. */
  @Test
  void oneUpdatingClientAOneReadOnlyClientB() {
    RoomHandle room = meet(RoomConfig.DEFAULT);
    SyncClient a = writer("A", 1);
    SyncClient b = new SyncClient("B", Role.READER, 0);
    a.connect(room);
    b.connect(room);

    a.write(WEIGHT, "100");
    a.write(NAME, "\"Bob\"");
    a.send();

    assertEquals(Map.of(1L, 1L, 2L, 2L), a.acks(), "local seq -> server seq");
    assertEquals(Map.of(WEIGHT, json("100"), NAME, json("\"Bob\"")), b.canonical());
    assertConverged(room, a, b);

    b.write(WEIGHT, "1");
    b.send();
    assertEquals(Rejection.READER, b.rejections().get(0).reason(), "B is display-only");
    assertConverged(room, a, b);
  }

  /**
   * Fault-free: A sends m changes and B n changes, both made after seeing seq s; A's are
   * numbered s+1..s+m, B's s+m+1..s+m+n, and each hears the other's.
   */
  @Test
  void twoUpdatingClientsAAndBOverlappingTemporallyButNotOverlappingStateValues() {
    RoomHandle room = meet(RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY));
    SyncClient a = writer("A", 2);
    SyncClient b = writer("B", 1);
    a.connect(room);
    b.connect(room);
    a.write("meet.name", "\"Open\"");
    a.send();
    long s = room.head().seq();

    a.write("lifter.1.name", "\"Ann\"");
    a.write("lifter.1.bodyweight", "63.2");
    a.write("lifter.1.division", "\"Open\"");
    b.write("lifter.2.name", "\"Bea\"");
    b.write("lifter.2.bodyweight", "71.9");
    assertEquals(s, b.pending().get(0).baseSeq());
    a.send();
    b.send();

    assertEquals(Map.of(1L, s, 2L, s + 1, 3L, s + 2, 4L, s + 3), a.acks());
    assertEquals(Map.of(1L, s + 4, 2L, s + 5), b.acks());
    assertTrue(b.rejections().isEmpty());
    assertConverged(room, a, b);
  }

  /** B misses ops while away, then pulls exactly the ops after the last seq it saw. */
  @Test
  void essentiallyReadOnlyClientUnableToReachServer() {
    RoomHandle room = meet(RoomConfig.DEFAULT);
    SyncClient a = writer("A", 1);
    SyncClient b = new SyncClient("B", Role.READER, 0);
    a.connect(room);
    b.connect(room);
    a.write(WEIGHT, "100");
    a.send();
    b.disconnect();
    Position lastSeen = b.seen();

    a.write(WEIGHT, "102.5");
    a.write(NAME, "\"Bob\"");
    a.send();
    a.write(NAME, null);
    a.send();

    assertEquals(new Position("epoch-1", 1), lastSeen, "B heard nothing while away");
    CatchUp.Tail pulled = assertInstanceOf(CatchUp.Tail.class, catchUp(room, lastSeen));
    assertEquals(List.of(2L, 3L, 4L), pulled.ops().stream().map(Op::seq).toList());
    b.connect(room);
    assertConverged(room, a, b);
  }

  /**
   * A keeps working offline against its old base seq while B writes other keys; back online it
   * sends its buffered changes (acked after B's), then pulls everything after its old seq,
   * its own ops included, and ends where the room is.
   */
  @Test
  void updatingClientUnableToReachServerNoConflictingUpdates() {
    RoomHandle room = meet(RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY));
    SyncClient a = writer("A", 1);
    SyncClient b = writer("B", 2);
    a.connect(room);
    b.connect(room);
    b.write("meet.name", "\"Open\"");
    b.send();
    a.disconnect();

    a.write("lifter.1.name", "\"Ann\"");
    a.write("lifter.1.bodyweight", "63.2");
    a.write("lifter.1.name", "\"Anna\"");
    b.write("lifter.2.name", "\"Bea\"");
    b.write("lifter.2.bodyweight", "71.9");
    b.send();
    assertEquals(json("\"Anna\""), a.view().get("lifter.1.name"), "A shows its own changes");

    a.send(room);
    assertEquals(Map.of(1L, 4L, 2L, 5L, 3L, 6L), a.acks());
    assertEquals(new Position("epoch-1", 1), a.seen(), "acked, but 2 and 3 are still unseen");
    a.connect(room);

    assertTrue(a.rejections().isEmpty());
    assertConverged(room, a, b);
    assertEquals(json("\"Anna\""), snapshot(room).values().get("lifter.1.name"));
  }

  /**
   * Priority policy. C (priority 2) stays online; A (3) and B (1) go offline and change the same
   * keys. A comes back first: its change overrules C's and is relayed to C. B comes back: its
   * changes lose to A's (higher) and to C's (higher), each rejection naming the value that
   * stands and its seq, while its unconflicting change is accepted. Everyone converges.
   */
  @Test
  void twoUpdatingClientsABUnableToReachServerOneClientCStillAbleToReachMutuallyConflictingUpdates() {
    RoomHandle room = meet(RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY));
    SyncClient a = writer("A", 3);
    SyncClient b = writer("B", 1);
    SyncClient c = writer("C", 2);
    conflictingOfflineWork(room, a, b, c);

    a.send(room);
    a.connect(room);

    assertEquals(Map.of(1L, 5L, 2L, 6L), a.acks(), "A's weight overrules C's");
    assertEquals(json("105"), c.canonical().get(WEIGHT), "relayed to C");
    assertConverged(room, a, c);

    b.send(room);
    b.connect(room);

    assertBLostToAAndC(b);
    assertConverged(room, a, b, c);
    assertEquals(Map.of(WEIGHT, json("105"), NAME, json("\"Rob\""),
        "lifter.3.name", json("\"Cy\""), "lifter.4.name", json("\"Di\"")),
        snapshot(room).values());
  }

  /**
   * Decision: this is not a special case. The room decides each change when it arrives, by the
   * change's base seq and the priority that set the current value; how long the client was away
   * does not enter. The only difference a long absence can make is that the history after the
   * client's seq was trimmed meanwhile, and then its catch-up is a snapshot instead of a tail.
   * This test replays the previous scenario with B back hours later, after more writes and after
   * its missed ops were trimmed: same decisions, and it converges through a snapshot.
   */
  @Test
  void twoUpdatingClientsUnableToReachServerOneReachesSignificantlyLater() {
    Engine engine = engine(new MemoryStore());
    RoomHandle room = engine.open(MEET, RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY)
        .withRetention(10_000, Duration.ofHours(1)));
    SyncClient a = writer("A", 3);
    SyncClient b = writer("B", 1);
    SyncClient c = writer("C", 2);
    conflictingOfflineWork(room, a, b, c);
    a.send(room);
    a.connect(room);

    clock.advance(Duration.ofHours(3));
    c.write("lifter.5.name", "\"Ed\"");
    c.send();
    engine.tick();
    Position bSaw = b.seen();
    assertInstanceOf(CatchUp.Snapshot.class, catchUp(room, bSaw), "B's missed ops are trimmed");

    b.send(room);
    b.connect(room);

    assertBLostToAAndC(b);
    assertConverged(room, a, b, c);
  }

  /**
   * The server lost everything (a fresh engine on an empty store). A and B, back with positions
   * of the old history, are asked to re-submit: the new room has another epoch, so their old
   * seqs are never taken for new ones. They re-submit what they hold, highest priority first, as
   * changes made having seen nothing (base seq 0), so the priority policy settles their
   * differences, and both converge on one state.
   */
  @Test
  void twoUpdatingClientsAAndBUnableToReachServerWhenTheyReachServerServerHasLostAllState() {
    RoomConfig config = RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY);
    RoomHandle lost = meet(config);
    SyncClient a = writer("A", 2);
    SyncClient b = writer("B", 1);
    lostServerWork(lost, a, b);
    Position aOld = a.seen();

    RoomHandle room = engine(new MemoryStore()).open(MEET, config);
    assertNotEquals(aOld.epoch(), room.head().epoch());
    a.connect(room);
    b.connect(room);
    assertNotNull(a.resubmitAsked());
    assertNotNull(b.resubmitAsked());

    a.resubmitHoldings();
    b.resubmitHoldings();

    Map<String, Json> expected = Map.of(WEIGHT, json("105"), NAME, json("\"Bob\""),
        "lifter.3.name", json("\"Ann\""), "lifter.4.name", json("\"Di\""));
    assertEquals(expected, snapshot(room).values());
    assertEquals(Rejection.CONFLICT, b.rejections().get(0).reason());
    assertConverged(room, a, b);
    assertTrue(room.head().seq() >= aOld.seq(), "the new history grew past A's old seq...");
    assertInstanceOf(CatchUp.Resubmit.class, catchUp(room, aOld), "...yet it is never valid");
  }

  /** With strict priorities the order of re-submission changes the history, not the outcome. */
  @Test
  void serverThatLostAllStateConvergesToTheSameStateIfTheLowerPriorityResubmitsFirst() {
    RoomConfig config = RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY);
    SyncClient a = writer("A", 2);
    SyncClient b = writer("B", 1);
    lostServerWork(meet(config), a, b);

    RoomHandle room = engine(new MemoryStore()).open(MEET, config);
    b.connect(room);
    a.connect(room);
    b.resubmitHoldings();
    a.resubmitHoldings();

    assertEquals(Map.of(WEIGHT, json("105"), NAME, json("\"Bob\""),
        "lifter.3.name", json("\"Ann\""), "lifter.4.name", json("\"Di\"")),
        snapshot(room).values());
    assertTrue(b.rejections().isEmpty(), "B went first: nothing to conflict with");
    assertConverged(room, a, b);
  }

  /**
   * All online at seq 2 (C set the weight and a name); A and B go offline; C changes both keys
   * (seqs 3, 4); offline, A changes the weight and adds lifter 3, B changes the weight and the
   * name and adds lifter 4.
   */
  private static void conflictingOfflineWork(RoomHandle room, SyncClient a, SyncClient b,
      SyncClient c) {
    a.connect(room);
    b.connect(room);
    c.connect(room);
    c.write(WEIGHT, "100");
    c.write(NAME, "\"Bob\"");
    c.send();
    a.disconnect();
    b.disconnect();
    c.write(WEIGHT, "102.5");
    c.write(NAME, "\"Rob\"");
    c.send();
    a.write(WEIGHT, "105");
    a.write("lifter.3.name", "\"Cy\"");
    b.write(WEIGHT, "110");
    b.write(NAME, "\"Robert\"");
    b.write("lifter.4.name", "\"Di\"");
    assertConverged(room, c);
  }

  private static void assertBLostToAAndC(SyncClient b) {
    List<Outcome.Rejected> lost = b.rejections();
    assertEquals(2, lost.size());
    assertEquals(Map.of(WEIGHT, new Entry(json("105"), 5, "A", 3)), lost.get(0).winners());
    assertEquals(Map.of(NAME, new Entry(json("\"Rob\""), 4, "C", 2)), lost.get(1).winners());
    assertEquals(1, b.acks().size(), "lifter 4 accepted");
  }

  /** A and B in sync on a room that will be lost; then offline changes on both. */
  private static void lostServerWork(RoomHandle lost, SyncClient a, SyncClient b) {
    a.connect(lost);
    b.connect(lost);
    a.write(WEIGHT, "100");
    a.write(NAME, "\"Bob\"");
    a.write("lifter.3.name", "\"Ann\"");
    a.send();
    a.disconnect();
    b.disconnect();
    assertConverged(lost, a, b);
    a.write(WEIGHT, "105");
    b.write(WEIGHT, "110");
    b.write("lifter.4.name", "\"Di\"");
  }
}
