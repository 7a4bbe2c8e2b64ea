package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class LanesTest {

  @Test
  void directLaneRunsATaskSubmittedFromATaskAfterItNotInsideIt() {
    Executor lane = Lanes.direct().laneOf("r");
    List<String> order = new ArrayList<>();

    lane.execute(() -> {
      order.add("outer starts");
      lane.execute(() -> order.add("nested"));
      order.add("outer ends");
    });

    assertEquals(List.of("outer starts", "outer ends", "nested"), order);
  }

  @Test
  void directLaneRunsQueuedTasksEvenIfOneThrowsThenRethrows() {
    Executor lane = Lanes.direct().laneOf("r");
    List<String> order = new ArrayList<>();

    assertThrows(IllegalStateException.class, () -> lane.execute(() -> {
      lane.execute(() -> order.add("queued"));
      throw new IllegalStateException("boom");
    }));

    assertEquals(List.of("queued"), order);
    lane.execute(() -> order.add("next"));
    assertEquals(List.of("queued", "next"), order, "the lane still works");
  }

  @Test
  void aRoomAlwaysGetsTheSameLane() {
    try (Lanes lanes = Lanes.threads(2)) {
      assertSame(lanes.laneOf("room"), lanes.laneOf("room"));
    }
    Lanes direct = Lanes.direct();
    assertSame(direct.laneOf("a"), direct.laneOf("a"));
  }
}
