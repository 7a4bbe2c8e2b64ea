package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.testkit.Fast;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@Fast
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

  @Test
  void threadedLaneRunsARoomsTasksInOrderOnOneDaemonThread() throws Exception {
    try (Lanes lanes = Lanes.threads(2)) {
      Executor lane = lanes.laneOf("room");
      List<String> threads = Collections.synchronizedList(new ArrayList<>());
      List<Integer> order = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch done = new CountDownLatch(20);
      for (int i = 0; i < 20; i++) {
        int n = i;
        lane.execute(() -> {
          Thread t = Thread.currentThread();
          threads.add(t.getName() + (t.isDaemon() ? " daemon" : ""));
          order.add(n);
          done.countDown();
        });
      }

      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals(IntStream.range(0, 20).boxed().toList(), order);
      assertEquals(1, Set.copyOf(threads).size(), threads.toString());
      assertTrue(threads.get(0).matches("room-lane-\\d+ daemon"), threads.get(0));
    }
  }

  @Test
  void interruptedCloseReturnsAndKeepsTheInterrupt() {
    Lanes lanes = Lanes.threads(1);
    lanes.laneOf("r").execute(() -> {});

    Thread.currentThread().interrupt();
    lanes.close();

    assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
  }

  @Test
  void ignoringReplyAcceptsAnyAnswer() {
    Reply<String> ignore = Reply.ignore();

    ignore.done("value", null);
    ignore.done(null, new IllegalStateException("failure"));
  }
}
