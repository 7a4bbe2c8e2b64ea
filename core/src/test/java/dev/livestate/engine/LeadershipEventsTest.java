package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.room.Leadership;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Takeover;
import dev.livestate.store.MemoryStore;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.RecordingSubscriber;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Subscribers hear of a leader change exactly when the room's leader changed. Absence is proved
 * by a later event that did arrive (the release at the end of each test).
 */
@Fast
class LeadershipEventsTest {
  private final MemoryStore store = new MemoryStore();
  private final Engine engine =
      new Engine(new ManualClock(), Lanes.direct(), Stores.of(store, store), () -> "e1");
  private final RecordingSubscriber watcher = new RecordingSubscriber("w");

  private RoomHandle room(Takeover takeover) {
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT.withTakeover(takeover));
    room.join(watcher, null, Reply.ignore());
    return room;
  }

  private static Leadership claim(RoomHandle room, String clientId) {
    CapturedReply<Leadership> reply = new CapturedReply<>();
    room.claimLeader(clientId, reply);
    return reply.value();
  }

  private static boolean release(RoomHandle room, String clientId) {
    CapturedReply<Boolean> reply = new CapturedReply<>();
    room.releaseLeader(clientId, reply);
    return reply.value();
  }

  @Test
  void refusedClaimIsNotAnnouncedAsALeaderChange() {
    RoomHandle room = room(Takeover.REFUSE);
    claim(room, "a");

    assertEquals(new Leadership.Refused("a"), claim(room, "b"));
    assertEquals("a", room.leader());
    release(room, "a");

    assertEquals(List.of(
        new RoomEvent.LeaderChanged("r", "a", null),
        new RoomEvent.LeaderChanged("r", null, "a")), watcher.events(),
        "nothing between the grant and the release");
  }

  @Test
  void grantedTakeoverIsAnnouncedWithTheLeaderThatLostTheRoom() {
    RoomHandle room = room(Takeover.ALLOW);
    claim(room, "a");

    assertEquals(new Leadership.Granted("a"), claim(room, "b"));
    release(room, "b");

    assertEquals(List.of(
        new RoomEvent.LeaderChanged("r", "a", null),
        new RoomEvent.LeaderChanged("r", "b", "a"),
        new RoomEvent.LeaderChanged("r", null, "b")), watcher.events());
  }

  @Test
  void leaderClaimingAgainChangesNothingAndIsNotAnnounced() {
    RoomHandle room = room(Takeover.REFUSE);
    claim(room, "a");

    assertEquals(new Leadership.Granted(null), claim(room, "a"));
    release(room, "a");

    assertEquals(List.of(
        new RoomEvent.LeaderChanged("r", "a", null),
        new RoomEvent.LeaderChanged("r", null, "a")), watcher.events());
  }

  @Test
  void releaseByAClientThatDoesNotLeadIsNotAnnounced() {
    RoomHandle room = room(Takeover.ALLOW);
    claim(room, "a");

    assertEquals(false, release(room, "b"));
    release(room, "a");

    assertEquals(List.of(
        new RoomEvent.LeaderChanged("r", "a", null),
        new RoomEvent.LeaderChanged("r", null, "a")), watcher.events());
  }
}
