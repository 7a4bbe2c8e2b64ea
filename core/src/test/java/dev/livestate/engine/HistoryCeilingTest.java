package dev.livestate.engine;

import static dev.livestate.testkit.Changes.proposal;
import static dev.livestate.testkit.Changes.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.livestate.room.Position;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Writer;
import dev.livestate.store.MemoryStore;
import dev.livestate.sync.CatchUp;
import dev.livestate.testkit.CapturedReply;
import dev.livestate.testkit.Connections;
import dev.livestate.testkit.Fast;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server's bound on a room's history ({@code limits.max-room-history}) wins over what a
 * room's config asks, for rooms created and recovered alike; a lower one in the config stays.
 */
@Fast
class HistoryCeilingTest {
  private static final Writer A = Writer.of("a");
  private static final String VALUE = "\"" + "v".repeat(998) + "\"";

  private final ManualClock clock = new ManualClock();
  private final MemoryStore store = new MemoryStore();

  private Engine engine(long maxRetainBytes) {
    return new Engine(clock, Lanes.direct(), Stores.of(store, store), () -> "e1",
        EngineListener.NONE, maxRetainBytes);
  }

  @Test
  void aRoomKeepsNoMoreHistoryThanTheServerAllowsWhateverItsConfigAsks() {
    Engine engine = engine(3_500);
    RoomHandle room = engine.open("r", RoomConfig.DEFAULT.withRetention(1_000_000, Duration.ZERO));
    for (int seq = 1; seq <= 10; seq++) {
      room.submit(A, Connections.of(A), List.of(proposal(seq, seq - 1, put("k", VALUE))),
          new CapturedReply<>());
    }

    assertEquals(3_500, room.config().retainBytes());
    CapturedReply<CatchUp> missed = new CapturedReply<>();
    room.catchUp(new Position("e1", 6), missed);
    assertInstanceOf(CatchUp.Snapshot.class, missed.value(), "only the last three are kept");

    engine.close();
    Engine lower = engine(2_500);
    lower.recover();
    assertEquals(2_500, lower.room("r").config().retainBytes(), "bounded at recovery too");
    assertEquals(100, engine(Long.MAX_VALUE).open("small",
        RoomConfig.DEFAULT.withRetainBytes(100)).config().retainBytes(), "a lower one stays");
  }
}
