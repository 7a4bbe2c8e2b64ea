package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import dev.livestate.stream.StreamMessage;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.HeldCommitStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A room's presence records and stream, with a manual clock and {@link Engine#tick()}. */
@Fast
class PresenceAndStreamTest {
  private static final Json HERE = new Json("{\"name\":\"A\"}");

  private final ManualClock clock = new ManualClock();
  private final HeldCommitStore store = new HeldCommitStore();
  private Engine engine;
  private RoomHandle room;
  private RecordingSubscriber watcher;

  @BeforeEach
  void open() {
    engine = new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1");
    room = engine.open("r", RoomConfig.DEFAULT
        .withPresenceTimeout(Duration.ofSeconds(30))
        .withStream(Duration.ofDays(7), 3));
    store.commitAll();
    watcher = new RecordingSubscriber("w");
    room.join(watcher, null, Reply.ignore());
  }

  private Map<String, Json> presence() {
    CapturedReply<Map<String, Json>> reply = new CapturedReply<>();
    room.presence(reply);
    return reply.value();
  }

  private List<StreamMessage> range(long from, long to) {
    CapturedReply<List<StreamMessage>> reply = new CapturedReply<>();
    room.readStream(from, to, reply);
    return reply.value();
  }

  private StreamMessage publish(long time, String body) {
    CapturedReply<StreamMessage> reply = new CapturedReply<>();
    room.publish(time, new Json(body), reply);
    store.commitAll();
    return reply.value();
  }

  @Test
  void presenceIsToldWhenItChangesNotWhenItIsRepeated() {
    room.setPresence("a", HERE);
    room.setPresence("a", HERE);
    room.setPresence("a", new Json("{}"));

    assertEquals(List.of(
        new RoomEvent.PresenceChanged("r", "a", HERE),
        new RoomEvent.PresenceChanged("r", "a", new Json("{}"))), watcher.events());
    assertEquals(Map.of("a", new Json("{}")), presence());
  }

  @Test
  void joinerIsToldWhoIsPresent() {
    room.setPresence("a", HERE);
    CapturedReply<Joined> joined = new CapturedReply<>();

    room.join(new RecordingSubscriber("b"), null, joined);

    assertEquals(Map.of("a", HERE), joined.value().presence());
  }

  @Test
  void silentClientExpiresAfterTheTimeoutOnTheNextTick() {
    room.setPresence("a", HERE);
    room.setPresence("b", HERE);
    clock.advance(Duration.ofSeconds(20));
    room.touchPresence("b");
    clock.advance(Duration.ofSeconds(20));

    engine.tick();

    assertEquals(Map.of("b", HERE), presence());
    assertEquals(new RoomEvent.PresenceChanged("r", "a", null), watcher.events().get(2));
    clock.advance(Duration.ofSeconds(31));
    engine.tick();
    assertEquals(Map.of(), presence());
  }

  @Test
  void presenceExactlyAtTheTimeoutIsStillHere() {
    room.setPresence("a", HERE);
    clock.advance(Duration.ofSeconds(30));

    engine.tick();

    assertEquals(Map.of("a", HERE), presence());
  }

  @Test
  void removedPresenceIsTold() {
    room.setPresence("a", HERE);

    room.removePresence("a");
    room.removePresence("a");

    assertEquals(new RoomEvent.PresenceChanged("r", "a", null), watcher.events().get(1));
    assertEquals(2, watcher.events().size());
  }

  @Test
  void leavingDropsTheClientsPresence() {
    RecordingSubscriber a = new RecordingSubscriber("a");
    room.join(a, null, Reply.ignore());
    room.setPresence("a", HERE);

    room.leave(a);

    assertEquals(Map.of(), presence());
    assertEquals(new RoomEvent.PresenceChanged("r", "a", null), watcher.events().get(1));
    assertEquals(1, room.subscriberCount());
  }

  @Test
  void leavingOneOfTwoConnectionsOfAClientKeepsItsPresence() {
    RecordingSubscriber tab1 = new RecordingSubscriber("a");
    RecordingSubscriber tab2 = new RecordingSubscriber("a");
    room.join(tab1, null, Reply.ignore());
    room.join(tab2, null, Reply.ignore());
    room.setPresence("a", HERE);

    room.leave(tab1);

    assertEquals(Map.of("a", HERE), presence());
  }

  @Test
  void publishedMessageIsToldAfterItsCommitAndReadByTime() {
    CapturedReply<StreamMessage> reply = new CapturedReply<>();
    room.publish(1_000, new Json("\"one\""), reply);

    assertFalse(reply.isDone());
    assertTrue(watcher.events().isEmpty());
    store.commitNext();
    StreamMessage one = reply.value();
    assertEquals(List.of(new RoomEvent.Published("r", one)), watcher.events());
    StreamMessage three = publish(3_000, "\"three\"");
    StreamMessage two = publish(2_000, "\"two\"");

    assertEquals(List.of(one, two, three), range(0, 10_000), "ordered by time, not arrival");
    assertEquals(List.of(two, three), range(2_000, 3_000), "bounds inclusive");
    assertEquals(List.of(), range(3_001, 2_000));
  }

  @Test
  void messagesExpireTheirTtlAfterArrival() {
    StreamMessage old = publish(clock.millis(), "1");
    clock.advance(Duration.ofDays(4));
    StreamMessage recent = publish(clock.millis(), "2");
    clock.advance(Duration.ofDays(3));

    assertEquals(List.of(recent), range(0, Long.MAX_VALUE), "expired: gone from reads at once");
    engine.tick();
    engine.expireStored();
    assertEquals(List.of(recent), range(0, Long.MAX_VALUE));
    assertEquals(List.of(recent), store.recover(clock.millis()).get(0).stream());
    assertTrue(old.expired(clock.millis()));
  }

  @Test
  void streamKeepsOnlyTheNewestMessagesOverItsLimit() {
    publish(1, "1");
    StreamMessage m2 = publish(2, "2");
    StreamMessage m3 = publish(3, "3");
    StreamMessage m4 = publish(4, "4");

    assertEquals(List.of(m2, m3, m4), range(0, 10));
  }

  @Test
  void upkeepDropsExpiredMessagesSoTheyNeverCostALiveOneItsPlace() {
    long start = clock.millis();
    publish(start + Duration.ofDays(30).toMillis(), "\"dated ahead\"");
    clock.advance(Duration.ofDays(8));
    StreamMessage b = publish(clock.millis(), "\"b\"");
    StreamMessage c = publish(clock.millis(), "\"c\"");

    engine.tick();
    StreamMessage d = publish(clock.millis(), "\"d\"");

    assertEquals(List.of(b, c, d), range(0, Long.MAX_VALUE));
  }
}
