package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.MemoryStore;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.RecordingSubscriber;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A leave by a connection that was never subscribed (a late or repeated leave) changes nothing. */
@Fast
class StrayLeaveTest {
  private final MemoryStore store = new MemoryStore();
  private final Engine engine =
      new Engine(new ManualClock(), Lanes.direct(), Stores.of(store, store), () -> "e1");

  @Test
  void aConnectionThatNeverJoinedTakesNoPresenceWithItWhenItLeaves() {
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
    RecordingSubscriber watcher = new RecordingSubscriber("w");
    room.join(watcher, null, Reply.ignore());
    room.setPresence("alice", new Json("{\"name\":\"Alice\"}"));

    room.leave(new RecordingSubscriber("alice"));

    CapturedReply<Map<String, Json>> here = new CapturedReply<>();
    room.presence(here);
    assertEquals(Map.of("alice", new Json("{\"name\":\"Alice\"}")), here.value());
    assertEquals(List.of(new RoomEvent.PresenceChanged("r", "alice",
        new Json("{\"name\":\"Alice\"}"))), watcher.events(), "no presence event for the leave");
  }
}
