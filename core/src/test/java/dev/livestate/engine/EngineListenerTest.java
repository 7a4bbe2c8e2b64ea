package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Changes;
import dev.livestate.testkit.Connections;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.HeldCommitStore;
import dev.livestate.testkit.RecordingSubscriber;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the engine tells its listener: the seam for metrics and the console. */
@Fast
class EngineListenerTest {

  /** A duration a test on direct lanes could have taken. */
  private static void plausible(long nanos) {
    assertTrue(nanos >= 0 && nanos < 10_000_000_000L, nanos + " ns");
  }

  /** Writes down every event as a line. */
  private static final class Log implements EngineListener {
    final List<String> lines = new ArrayList<>();

    @Override
    public void roomOpened(String room) {
      lines.add("opened " + room);
    }

    @Override
    public void roomDeleted(String room) {
      lines.add("deleted " + room);
    }

    @Override
    public void submitStart(String room, int proposals) {
      lines.add("submit " + room + " " + proposals);
    }

    @Override
    public void submitEnd(String room, List<Outcome> outcomes, long nanos) {
      plausible(nanos);
      lines.add("answered " + room + " " + outcomes.stream()
          .map(o -> o instanceof Outcome.Rejected r ? r.reason().name() : "ack").toList());
    }

    @Override
    public void commitStart(String room) {
      lines.add("commit " + room);
    }

    @Override
    public void commitEnd(String room, long nanos, Throwable failure) {
      plausible(nanos);
      lines.add("committed " + room + (failure == null ? "" : " failed"));
    }

    @Override
    public void deliveryStart(String room, RoomEvent event) {
      lines.add("deliver " + event.getClass().getSimpleName());
    }

    @Override
    public void connectionOpened(String surface) {
      lines.add("connected " + surface);
    }

    @Override
    public void connectionClosed(String surface, String reason) {
      lines.add("disconnected " + surface + " " + reason);
    }

    @Override
    public void deliveryEnd(String room, RoomEvent event, int subscribers, long nanos) {
      plausible(nanos);
      lines.add("delivered to " + subscribers);
    }
  }

  private final HeldCommitStore store = new HeldCommitStore();
  private final Log log = new Log();
  private final Engine engine = new Engine(new ManualClock(), Lanes.direct(),
      Stores.of(store, store), () -> "e1", log);

  @Test
  void aSubmitIsToldFromArrivalThroughCommitToItsAnswerAndDelivery() {
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
    room.join(new RecordingSubscriber("bob"), null, Reply.ignore());
    room.join(new RecordingSubscriber("alice"), null, Reply.ignore());
    store.commitAll();
    log.lines.clear();
    Writer alice = Writer.of("alice");

    room.submit(alice, Connections.of(alice), List.of(Changes.proposal(1, 0, Changes.put("k", "1"))),
        Reply.ignore());
    assertEquals(List.of("submit r 1", "commit r"), log.lines, "nothing is answered before commit");
    store.commitAll();

    assertEquals(List.of("submit r 1", "commit r", "committed r", "answered r [ack]",
        "deliver Relayed", "delivered to 1"), log.lines, "the writer's own connection is skipped");
  }

  @Test
  void rejectionsAreToldWithTheirCodes() {
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT);
    room.seal(Reply.ignore());
    store.commitAll();
    log.lines.clear();
    Writer alice = Writer.of("alice");

    room.submit(alice, Connections.of(alice), List.of(Changes.proposal(1, 0, Changes.put("k", "1"))),
        Reply.ignore());
    store.commitAll();

    assertEquals(List.of("submit r 1", "commit r", "committed r",
        "answered r [" + Rejection.SEALED.name() + "]"), log.lines, "the refusal is recorded");
  }

  @Test
  void roomsOpenedAndDeletedAreTold() {
    engine.open("r", RoomConfig.DEFAULT);
    engine.open("r", RoomConfig.DEFAULT);
    engine.delete("r", Reply.ignore());
    store.commitAll();

    assertEquals("opened r", log.lines.get(0));
    assertEquals(1, log.lines.stream().filter(l -> l.equals("opened r")).count(),
        "opening an existing room opens nothing");
    assertTrue(log.lines.contains("deleted r"));
  }

  @Test
  void aListenerThatThrowsStopsNothing() {
    EngineListener broken = new EngineListener() {
      @Override
      public void submitStart(String room, int proposals) {
        throw new IllegalStateException("a bug in a metrics library");
      }

      @Override
      public void deliveryEnd(String room, RoomEvent event, int subscribers, long nanos) {
        throw new IllegalStateException("and another");
      }
    };
    Engine e = new Engine(new ManualClock(), Lanes.direct(), Stores.of(store, store), () -> "e1",
        broken);
    RoomHandle room = e.open("r", RoomConfig.DEFAULT);
    RecordingSubscriber bob = new RecordingSubscriber("bob");
    room.join(bob, null, Reply.ignore());
    CapturedReply<List<Outcome>> ack = new CapturedReply<>();
    Writer alice = Writer.of("alice");

    room.submit(alice, Connections.of(alice), List.of(Changes.proposal(1, 0, Changes.put("k", "1"))),
        ack);
    store.commitAll();
    room.publish(1, new Json("1"), Reply.ignore());
    store.commitAll();

    assertEquals(List.of(new Outcome.Accepted(1, 1)), ack.value());
    assertEquals(List.of(1L), bob.relayedSeqs());
    assertEquals(2, bob.events().size(), "the event after a throwing delivery still arrives");
  }

  @Test
  void roomsRecoveredAtStartAreToldAsOpened() {
    engine.open("r", RoomConfig.DEFAULT);
    store.commitAll();
    Log second = new Log();
    Engine restarted = new Engine(new ManualClock(), Lanes.direct(),
        Stores.of(store.committed(), store.committed()), () -> "e2", second);

    restarted.recover();

    assertEquals(List.of("opened r"), second.lines);
  }

  @Test
  void surfacesTellConnectionsThroughTheEnginesListener() {
    engine.listener().connectionOpened("native");
    engine.listener().connectionClosed("native", "going_away");

    assertEquals(List.of("connected native", "disconnected native going_away"), log.lines);
  }

  @Test
  void everyEventOfAListenerThatThrowsIsCaught() {
    EngineListener throwing = new EngineListener() {
      @Override
      public void roomOpened(String room) {
        throw new IllegalStateException();
      }

      @Override
      public void roomDeleted(String room) {
        throw new IllegalStateException();
      }

      @Override
      public void submitEnd(String room, List<Outcome> outcomes, long nanos) {
        throw new IllegalStateException();
      }

      @Override
      public void commitStart(String room) {
        throw new IllegalStateException();
      }

      @Override
      public void commitEnd(String room, long nanos, Throwable failure) {
        throw new IllegalStateException();
      }

      @Override
      public void deliveryStart(String room, RoomEvent event) {
        throw new IllegalStateException();
      }

      @Override
      public void connectionOpened(String surface) {
        throw new IllegalStateException();
      }

      @Override
      public void connectionClosed(String surface, String reason) {
        throw new IllegalStateException();
      }
    };
    Engine e = new Engine(new ManualClock(), Lanes.direct(), Stores.of(store, store), () -> "e1",
        throwing);
    RoomHandle room = e.open("r", RoomConfig.DEFAULT);
    RecordingSubscriber bob = new RecordingSubscriber("bob");
    room.join(bob, null, Reply.ignore());
    CapturedReply<List<Outcome>> ack = new CapturedReply<>();
    Writer alice = Writer.of("alice");
    room.submit(alice, Connections.of(alice), List.of(Changes.proposal(1, 0, Changes.put("k", "1"))),
        ack);
    store.commitAll();
    e.listener().connectionOpened("native");
    e.listener().connectionClosed("native", "normal");
    e.delete("r", Reply.ignore());
    store.commitAll();

    assertEquals(List.of(new Outcome.Accepted(1, 1)), ack.value());
    assertEquals(List.of(1L), bob.relayedSeqs());
  }

  @Test
  void withoutAListenerTheEngineHasTheNoOpOne() {
    Engine e = new Engine(new ManualClock(), Lanes.direct(), Stores.of(store, store), () -> "e1");
    assertEquals(EngineListener.NONE, e.listener());
  }
}
