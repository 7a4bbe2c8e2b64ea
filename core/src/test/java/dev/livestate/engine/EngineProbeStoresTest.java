package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.livestate.store.MemoryStore;
import dev.livestate.testkit.Fast;
import dev.livestate.testkit.HeldCommitStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Engine.probeStores}: one answer, once every store has answered its probe. */
@Fast
class EngineProbeStoresTest {
  private final ManualClock clock = new ManualClock();

  private Engine engine(HeldCommitStore durable, HeldCommitStore named) {
    return new Engine(clock, Lanes.direct(), new Stores(durable, new MemoryStore(),
        Map.of("service", named)), () -> "e1");
  }

  @Test
  void answersNullOnlyOnceEveryStoreCommittedItsProbe() {
    HeldCommitStore durable = new HeldCommitStore();
    HeldCommitStore named = new HeldCommitStore();
    List<Throwable> answers = new ArrayList<>();
    engine(durable, named).probeStores(answers::add);
    assertEquals(List.of("probe"), durable.heldWrites());
    assertEquals(List.of("probe"), named.heldWrites());
    durable.commitNext();
    assertEquals(0, answers.size(), "one store has not answered yet");
    named.commitNext();
    assertEquals(1, answers.size());
    assertNull(answers.get(0));
  }

  @Test
  void answersTheFirstFailureAfterTheLastStoreAnswered() {
    HeldCommitStore durable = new HeldCommitStore();
    HeldCommitStore named = new HeldCommitStore();
    List<Throwable> answers = new ArrayList<>();
    engine(durable, named).probeStores(answers::add);
    RuntimeException down = new RuntimeException("the database is down");
    durable.failNext(down);
    assertEquals(0, answers.size());
    named.failNext(new RuntimeException("a second failure"));
    assertEquals(1, answers.size());
    assertSame(down, answers.get(0));
  }
}
