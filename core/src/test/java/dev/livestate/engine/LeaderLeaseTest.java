package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.livestate.room.Leadership;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Takeover;
import dev.livestate.store.MemoryStore;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A leader whose connection is gone may keep its room for a grace period (UI sync's
 * {@code --uisync-leader-grace}): a reconnect under the same identity takes the room back and
 * subscribers see no gap; when the grace runs out the room is free and everyone hears so.
 */
@Fast
class LeaderLeaseTest {
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final ManualClock clock = new ManualClock();
  private final MemoryStore store = new MemoryStore();
  private final Engine engine =
      new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1");
  private final RecordingSubscriber watcher = new RecordingSubscriber("w");

  private RoomHandle room(Takeover takeover) {
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT.withTakeover(takeover));
    room.join(watcher, null, Reply.ignore());
    return room;
  }

  private static Leadership claim(RoomHandle room, String clientId, String identity) {
    CapturedReply<Leadership> reply = new CapturedReply<>();
    room.claimLeader(clientId, identity, reply);
    return reply.value();
  }

  @Test
  void withoutAGraceTheLeaderLosesTheRoomAtOnce() {
    RoomHandle room = room(Takeover.REFUSE);
    claim(room, "a", "ann");
    CapturedReply<Boolean> lost = new CapturedReply<>();

    room.leaderLeft("a", Duration.ZERO, lost);

    assertEquals(true, lost.value());
    assertNull(room.leader());
    assertEquals(new RoomEvent.LeaderChanged("r", null, "a"), watcher.events().get(1));
  }

  @Test
  void aLeaderOnLeaseStillLeadsAndItsRoomIsFreedWhenTheGraceRunsOut() {
    RoomHandle room = room(Takeover.REFUSE);
    claim(room, "a", "ann");
    CapturedReply<Boolean> lost = new CapturedReply<>();

    room.leaderLeft("a", GRACE, lost);
    clock.advance(GRACE.minusMillis(1));
    engine.tick();

    assertFalse(lost.isDone(), "the lease is still running");
    assertEquals("a", room.leader());
    assertEquals(new Leadership.Refused("a"), claim(room, "b", "bob"), "a stranger is refused");

    clock.advanceMillis(1);
    engine.tick();

    assertEquals(true, lost.value());
    assertEquals(1, lost.calls());
    assertNull(room.leader());
    assertEquals(List.of(
        new RoomEvent.LeaderChanged("r", "a", null),
        new RoomEvent.LeaderChanged("r", null, "a")), watcher.events());
  }

  @Test
  void theSameIdentityTakesTheRoomBackDuringTheLeaseEvenWhenTakeoversAreRefused() {
    RoomHandle room = room(Takeover.REFUSE);
    claim(room, "a", "ann");
    CapturedReply<Boolean> lost = new CapturedReply<>();
    room.leaderLeft("a", GRACE, lost);

    assertEquals(new Leadership.Granted("a"), claim(room, "a2", "ann"));
    clock.advance(GRACE.multipliedBy(2));
    engine.tick();

    assertEquals(false, lost.value(), "the old connection did not lose the room to nobody");
    assertEquals("a2", room.leader(), "the lease ended with the reclaim, not later");
    assertEquals(List.of(
        new RoomEvent.LeaderChanged("r", "a", null),
        new RoomEvent.LeaderChanged("r", "a2", "a")), watcher.events(),
        "subscribers see one leader hand over to the next, no gap");
  }

  @Test
  void aReconnectedLeaderRefusesItsOldIdentityOnceItIsConnectedAgain() {
    RoomHandle room = room(Takeover.REFUSE);
    claim(room, "a", "ann");
    room.leaderLeft("a", GRACE, Reply.ignore());
    claim(room, "a2", "ann");

    assertEquals(new Leadership.Refused("a2"), claim(room, "a3", "ann"),
        "only a leader whose connection is gone can be reclaimed");
  }

  @Test
  void aTakeoverDuringTheLeaseEndsItWithoutFreeingTheRoom() {
    RoomHandle room = room(Takeover.ALLOW);
    claim(room, "a", "ann");
    CapturedReply<Boolean> lost = new CapturedReply<>();
    room.leaderLeft("a", GRACE, lost);

    assertEquals(new Leadership.Granted("a"), claim(room, "b", "bob"));

    assertEquals(false, lost.value());
    assertEquals("b", room.leader());
  }

  @Test
  void aClientThatDoesNotLeadLosesNothing() {
    RoomHandle room = room(Takeover.ALLOW);
    claim(room, "a", "ann");
    CapturedReply<Boolean> lost = new CapturedReply<>();

    room.leaderLeft("b", GRACE, lost);

    assertEquals(false, lost.value());
    assertEquals("a", room.leader());
    assertEquals(1, watcher.events().size());
  }

  @Test
  void aReleaseByTheLeaderBeforeItLeavesIsImmediate() {
    RoomHandle room = room(Takeover.REFUSE);
    claim(room, "a", null);
    CapturedReply<Boolean> released = new CapturedReply<>();
    room.releaseLeader("a", released);

    assertEquals(true, released.value());
    assertEquals(new Leadership.Granted(null), claim(room, "b", null));
  }

  @Test
  void withoutAnIdentityALeaderOnLeaseCannotBeReclaimed() {
    RoomHandle room = room(Takeover.REFUSE);
    claim(room, "a", null);
    room.leaderLeft("a", GRACE, Reply.ignore());

    assertEquals(new Leadership.Refused("a"), claim(room, "a2", null));
  }
}
