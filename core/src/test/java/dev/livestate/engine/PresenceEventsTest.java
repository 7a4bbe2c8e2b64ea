package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.MemoryStore;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code presence} event with {@code data: null} means "this client's record went away", so it
 * is sent only for a client that had one. Absence of an event is proved by a later marker event:
 * a presence set by client "m" after the step under test.
 */
@Fast
class PresenceEventsTest {
  private static final Json HERE = new Json("{\"name\":\"A\"}");
  private static final Json MARK = new Json("\"marker\"");

  private final ManualClock clock = new ManualClock();
  private final MemoryStore store = new MemoryStore();
  private final Engine engine =
      new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1");
  private final RecordingSubscriber watcher = new RecordingSubscriber("w");
  private RoomHandle room;

  @BeforeEach
  void open() {
    room = engine.open("r", RoomConfig.DEFAULT.withPresenceTimeout(Duration.ofSeconds(30)));
    room.join(watcher, null, Reply.ignore());
  }

  private RecordingSubscriber joined(String clientId) {
    RecordingSubscriber s = new RecordingSubscriber(clientId);
    room.join(s, null, Reply.ignore());
    return s;
  }

  private void marker() {
    room.setPresence("m", MARK);
  }

  private static RoomEvent.PresenceChanged presence(String clientId, Json data) {
    return new RoomEvent.PresenceChanged("r", clientId, data);
  }

  private Map<String, Json> records() {
    CapturedReply<Map<String, Json>> reply = new CapturedReply<>();
    room.presence(reply);
    return reply.value();
  }

  @Test
  void subscriberWithoutAPresenceRecordLeavesWithoutAPresenceEvent() {
    RecordingSubscriber b = joined("b");

    room.leave(b);
    marker();

    assertEquals(List.of(presence("m", MARK)), watcher.events());
  }

  @Test
  void subscriberWithAPresenceRecordLeavesWithAPresenceEventOfNullData() {
    RecordingSubscriber a = joined("a");
    room.setPresence("a", HERE);

    room.leave(a);
    marker();

    assertEquals(List.of(presence("a", HERE), presence("a", null), presence("m", MARK)),
        watcher.events());
    assertEquals(List.of(presence("a", HERE)), a.events(), "the leaver hears nothing after");
  }

  @Test
  void leavingTwiceTellsOthersOnce() {
    RecordingSubscriber a = joined("a");
    room.setPresence("a", HERE);

    room.leave(a);
    room.leave(a);
    marker();

    assertEquals(List.of(presence("a", HERE), presence("a", null), presence("m", MARK)),
        watcher.events());
  }

  @Test
  void removingAPresenceThatWasNeverSetSendsNothing() {
    room.removePresence("nobody");
    marker();

    assertEquals(List.of(presence("m", MARK)), watcher.events());
  }

  @Test
  void silentRecordExpiresOnATickPastTheTimeoutWithAPresenceEventOfNullData() {
    room.setPresence("a", HERE);
    room.setPresence("b", HERE);
    clock.advance(Duration.ofSeconds(20));
    room.touchPresence("b");
    room.touchPresence("nobody");
    clock.advance(Duration.ofSeconds(11));

    engine.tick();
    marker();

    assertEquals(List.of(presence("a", HERE), presence("b", HERE), presence("a", null),
        presence("m", MARK)), watcher.events());
    assertEquals(Map.of("b", HERE, "m", MARK), records(), "touched records stay; none invented");
  }

  @Test
  void expiredClientThatLeavesLaterIsNotToldGoneTwice() {
    RecordingSubscriber a = joined("a");
    room.setPresence("a", HERE);
    clock.advance(Duration.ofSeconds(31));
    engine.tick();

    room.leave(a);
    marker();

    assertEquals(List.of(presence("a", HERE), presence("a", null), presence("m", MARK)),
        watcher.events());
  }
}
