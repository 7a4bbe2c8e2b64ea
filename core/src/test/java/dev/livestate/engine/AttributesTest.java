package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import dev.livestate.sync.CatchUp;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.HeldCommitStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A room's private attributes (auth data and the like): durable, never shown to clients. */
@Fast
class AttributesTest {
  private static final Json HASH = new Json("\"scrypt$hash\"");

  private final ManualClock clock = new ManualClock();
  private final HeldCommitStore store = new HeldCommitStore();
  private final Engine engine =
      new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1");
  private RoomHandle room;
  private RecordingSubscriber watcher;

  @BeforeEach
  void open() {
    room = engine.open("r", RoomConfig.DEFAULT);
    watcher = new RecordingSubscriber("w");
    room.join(watcher, null, Reply.ignore());
    store.commitAll();
  }

  private RoomHandle afterRestart() {
    Engine restarted = new Engine(clock, Lanes.direct(),
        Stores.of(store.committed(), store.committed()), () -> "other");
    restarted.recover();
    return restarted.room("r");
  }

  @Test
  void attributeIsReadableAtOnceAndAnsweredOnlyOnceCommitted() {
    CapturedReply<Void> reply = new CapturedReply<>();

    room.putAttribute("auth", HASH, reply);

    assertEquals(HASH, room.attribute("auth"));
    assertFalse(reply.isDone());
    assertNull(afterRestart().attribute("auth"), "not yet in the store");
    store.commitNext();
    assertTrue(reply.isDone());
    assertNull(reply.failure());
    assertEquals(HASH, afterRestart().attribute("auth"));
  }

  @Test
  void nullValueRemovesTheAttributeHereAndInTheStore() {
    room.putAttribute("auth", HASH, Reply.ignore());
    room.putAttribute("other", new Json("1"), Reply.ignore());
    CapturedReply<Void> removed = new CapturedReply<>();

    room.putAttribute("auth", null, removed);
    store.commitAll();

    assertTrue(removed.isDone());
    assertNull(room.attribute("auth"));
    RoomHandle recovered = afterRestart();
    assertNull(recovered.attribute("auth"));
    assertEquals(new Json("1"), recovered.attribute("other"));
  }

  @Test
  void attributesAreNeverRelayedNorPartOfTheState() {
    room.putAttribute("auth", HASH, Reply.ignore());
    store.commitAll();
    CapturedReply<CatchUp.Snapshot> snapshot = new CapturedReply<>();

    room.snapshot(snapshot);

    assertEquals(Map.of(), snapshot.value().values());
    assertEquals(List.of(), watcher.events());
    assertEquals(0, room.head().seq());
  }

  @Test
  void attributesByPrefixAreACopyOfThoseWhoseKeyStartsWithIt() {
    room.putAttribute("client:a", new Json("1"), Reply.ignore());
    room.putAttribute("client:b", new Json("2"), Reply.ignore());
    room.putAttribute("other", new Json("3"), Reply.ignore());

    Map<String, Json> clients = room.attributes("client:");
    room.putAttribute("client:c", new Json("4"), Reply.ignore());

    assertEquals(Map.of("client:a", new Json("1"), "client:b", new Json("2")), clients);
    assertEquals(4, room.attributes("").size());
    assertTrue(room.attributes("nothing").isEmpty());
  }
}
