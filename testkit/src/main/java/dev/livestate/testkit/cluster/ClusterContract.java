package dev.livestate.testkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.cluster.Bus;
import dev.livestate.cluster.Leases;
import dev.livestate.cluster.Leases.Lease;
import dev.livestate.engine.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Bus} and {@link Leases} backend promises (decision 015), for three nodes of
 * one cluster. A subclass says how to make a node's bus and leases on one shared backend, fresh
 * for each test, and how time passes for its expiries.
 */
public abstract class ClusterContract {
  /** Long enough for a round trip to a backend, short enough to wait out in a test. */
  protected static final Duration TTL = Duration.ofMillis(400);
  private static final long WAIT_SECONDS = 5;

  private final List<AutoCloseable> opened = new ArrayList<>();

  /** Node {@code node}'s bus on this test's backend. */
  protected abstract Bus newBus(String node) throws Exception;

  /** Node {@code node}'s leases on this test's backend. */
  protected abstract Leases newLeases(String node) throws Exception;

  /** Lets {@code time} pass for heartbeats and leases. */
  protected abstract void elapse(Duration time) throws Exception;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private Bus bus(String node) throws Exception {
    Bus b = newBus(node);
    opened.add(b);
    return b;
  }

  private Leases leases(String node) throws Exception {
    Leases l = newLeases(node);
    opened.add(l);
    return l;
  }

  /**
   * The value a call replies with, thrown as an {@link java.util.concurrent.ExecutionException}
   * when it fails, and failing the test when no reply comes in time.
   */
  public static <T> T answer(Consumer<Reply<T>> call) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    call.accept((v, failure) -> {
      if (failure != null) {
        f.completeExceptionally(failure);
      } else {
        f.complete(v);
      }
    });
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static Bus.Subscription subscribe(Bus bus, String room,
      BlockingQueue<Bus.Message> into) throws Exception {
    CompletableFuture<Bus.Subscription> s = new CompletableFuture<>();
    answer((Reply<Void> ready) -> s.complete(bus.subscribe(room, into::add, ready)));
    return s.get();
  }

  private static Bus.Message next(BlockingQueue<Bus.Message> from) throws InterruptedException {
    return from.poll(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void aMessageReachesEveryOtherNodeSubscribedToItsRoomAndNoOneElse() throws Exception {
    Bus a = bus("a");
    Bus b = bus("b");
    Bus c = bus("c");
    BlockingQueue<Bus.Message> atA = new LinkedBlockingQueue<>();
    BlockingQueue<Bus.Message> atB = new LinkedBlockingQueue<>();
    BlockingQueue<Bus.Message> atCOther = new LinkedBlockingQueue<>();
    subscribe(a, "room", atA);
    subscribe(b, "room", atB);
    subscribe(c, "other", atCOther);

    answer((Reply<Void> r) -> a.publish("room", "{\"seq\":1}", r));
    answer((Reply<Void> r) -> b.publish("other", "{\"seq\":7}", r));

    assertEquals(new Bus.Message("a", "room", "{\"seq\":1}"), next(atB));
    assertEquals(new Bus.Message("b", "other", "{\"seq\":7}"), next(atCOther));
    // a's own message never comes back to it; a marker after it shows nothing else was queued
    answer((Reply<Void> r) -> b.publish("room", "marker", r));
    assertEquals("marker", next(atA).body());
    assertTrue(atB.isEmpty() && atCOther.isEmpty(), "nothing more: " + atB + atCOther);
  }

  /** Node {@code node}'s bus, answering each request with its node, the asker and the body. */
  private Bus answering(String node) throws Exception {
    Bus b = bus(node);
    answer((Reply<Void> ready) -> b.respond((from, body, reply) -> {
      if (body.equals("fail")) {
        reply.done(null, new IllegalArgumentException("refused by " + node));
      } else {
        reply.done(node + " answers " + from + ": " + body, null);
      }
    }, ready));
    return b;
  }

  @Test
  void aRequestIsAnsweredByTheNodeItIsAddressedToAndOnlyToTheAsker() throws Exception {
    Bus a = answering("a");
    Bus b = answering("b");
    answering("c");
    Duration timeout = Duration.ofSeconds(WAIT_SECONDS);

    assertEquals("b answers a: one", answer((Reply<String> r) -> a.ask("b", "one", timeout, r)));
    assertEquals("c answers b: two\nlines",
        answer((Reply<String> r) -> b.ask("c", "two\nlines", timeout, r)));
    assertEquals("a answers a: self", answer((Reply<String> r) -> a.ask("a", "self", timeout, r)));
  }

  @Test
  void aResponderFailureReachesTheAskerAsItsMessage() throws Exception {
    Bus a = answering("a");
    answering("b");

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> answer((Reply<String> r) -> a.ask("b", "fail", Duration.ofSeconds(WAIT_SECONDS), r)));
    assertEquals(IllegalStateException.class, e.getCause().getClass());
    assertEquals("refused by b", e.getCause().getMessage());
  }

  @Test
  void aRequestToANodeThatDoesNotAnswerFailsInsteadOfWaitingForever() throws Exception {
    Bus a = answering("a");

    assertThrows(ExecutionException.class,
        () -> answer((Reply<String> r) -> a.ask("gone", "hello", Duration.ofMillis(300), r)));
  }

  @Test
  void messagesOfOnePublisherArriveInTheOrderPublished() throws Exception {
    Bus a = bus("a");
    Bus b = bus("b");
    BlockingQueue<Bus.Message> atB = new LinkedBlockingQueue<>();
    subscribe(b, "room", atB);
    int count = 1_000;
    for (int i = 1; i <= count; i++) {
      a.publish("room", Integer.toString(i), Reply.ignore());
    }
    for (int i = 1; i <= count; i++) {
      Bus.Message m = next(atB);
      assertEquals(Integer.toString(i), m == null ? null : m.body());
    }
  }

  @Test
  void everySubscriptionOfANodeGetsEachMessageAndACancelledOneNoMore() throws Exception {
    Bus a = bus("a");
    Bus b = bus("b");
    BlockingQueue<Bus.Message> first = new LinkedBlockingQueue<>();
    BlockingQueue<Bus.Message> second = new LinkedBlockingQueue<>();
    Bus.Subscription cancelled = subscribe(b, "room", first);
    subscribe(b, "room", second);

    answer((Reply<Void> r) -> a.publish("room", "both", r));
    assertEquals("both", next(first).body());
    assertEquals("both", next(second).body());

    cancelled.cancel();
    answer((Reply<Void> r) -> a.publish("room", "second only", r));
    assertEquals("second only", next(second).body());
    assertTrue(first.isEmpty(), "a cancelled subscription got " + first);
  }

  @Test
  void aNodeIsAliveFromItsHeartbeatUntilItRunsOutOrTheNodeLeaves() throws Exception {
    Bus a = bus("a");
    Bus b = bus("b");
    Bus c = bus("c");
    answer((Reply<Void> r) -> a.heartbeat(TTL.multipliedBy(100), r));
    answer((Reply<Void> r) -> b.heartbeat(TTL, r));
    answer((Reply<Void> r) -> c.heartbeat(TTL.multipliedBy(100), r));
    assertEquals(List.of("a", "b", "c"), answer(c::nodes));

    answer(c::leave);
    assertEquals(List.of("a", "b"), answer(a::nodes));

    elapse(TTL.plusMillis(100));
    assertEquals(List.of("a"), answer(a::nodes));
  }

  @Test
  void oneNodeAtATimeHoldsARoomAndItsHoldingKeepsItsGeneration() throws Exception {
    Leases a = leases("a");
    Leases b = leases("b");
    Lease mine = answer((Reply<Lease> r) -> a.acquire("room", TTL.multipliedBy(100), r));
    assertEquals("a", mine.node());

    assertEquals(mine, answer((Reply<Lease> r) -> b.acquire("room", TTL, r)),
        "b is told who holds the room");
    assertEquals(mine, answer((Reply<Lease> r) -> a.acquire("room", TTL.multipliedBy(100), r)),
        "taking it again extends the same holding");
    assertEquals(mine, answer((Reply<Lease> r) -> b.holder("room", r)));
    assertEquals("b", answer((Reply<Lease> r) -> b.acquire("other room", TTL, r)).node(),
        "rooms are held apart");
  }

  @Test
  void aLeaseThatRanOutGoesToTheNextNodeWithALargerGenerationAndCannotBeRenewed()
      throws Exception {
    Leases a = leases("a");
    Leases b = leases("b");
    Lease first = answer((Reply<Lease> r) -> a.acquire("room", TTL, r));
    assertTrue(answer((Reply<Boolean> r) -> a.renew(first, TTL, r)));

    elapse(TTL.plusMillis(100));
    assertNull(answer((Reply<Lease> r) -> b.holder("room", r)));
    Lease second = answer((Reply<Lease> r) -> b.acquire("room", TTL.multipliedBy(100), r));
    assertEquals("b", second.node());
    assertTrue(second.generation() > first.generation(),
        second + " must be a later generation than " + first);

    assertFalse(answer((Reply<Boolean> r) -> a.renew(first, TTL, r)),
        "a paused owner cannot renew what another node holds now");
    answer((Reply<Void> r) -> a.release(first, r));
    assertEquals(second, answer((Reply<Lease> r) -> a.holder("room", r)),
        "releasing a lost lease leaves the new holder alone");
  }

  @Test
  void aHoldingRaisedAboveAStoredGenerationOutranksItAndOnlyItsHolderCanRaiseIt()
      throws Exception {
    Leases a = leases("a");
    Leases b = leases("b");
    Lease first = answer((Reply<Lease> r) -> a.acquire("room", TTL.multipliedBy(100), r));
    Lease raised = answer((Reply<Lease> r) -> a.raise(first, first.generation() + 41, r));
    assertEquals(new Lease("room", "a", first.generation() + 42), raised);
    assertEquals(raised, answer((Reply<Lease> r) -> b.holder("room", r)));
    assertNull(answer((Reply<Lease> r) -> b.raise(first, 100, r)), "b holds nothing to raise");
    assertNull(answer((Reply<Lease> r) -> a.raise(first, 100, r)), "first is not held any more");

    answer((Reply<Void> r) -> a.release(raised, r));
    Lease next = answer((Reply<Lease> r) -> b.acquire("room", TTL.multipliedBy(100), r));
    assertTrue(next.generation() > raised.generation(), next + " after " + raised);
  }

  @Test
  void aNodeStartedAgainUnderItsNameTakesItsRoomsBackAndItsFormerProcessHoldsNothing()
      throws Exception {
    Leases before = leases("a");
    Lease first = answer((Reply<Lease> r) -> before.acquire("room", TTL.multipliedBy(100), r));
    Leases again = leases("a");
    Lease taken = answer((Reply<Lease> r) -> again.acquire("room", TTL.multipliedBy(100), r));
    assertEquals("a", taken.node());
    assertTrue(taken.generation() > first.generation(),
        taken + " must fence " + first + ", whose process may still be running");
    assertEquals(taken, answer((Reply<Lease> r) -> again.acquire("room", TTL, r)),
        "the new process extends its own holding");
    assertFalse(answer((Reply<Boolean> r) -> before.renew(first, TTL, r)));
    answer((Reply<Void> r) -> before.release(first, r));
    assertEquals(taken, answer((Reply<Lease> r) -> again.holder("room", r)));
  }

  @Test
  void aReleasedLeaseCanBeTakenAtOnceWithALargerGeneration() throws Exception {
    Leases a = leases("a");
    Leases b = leases("b");
    Lease first = answer((Reply<Lease> r) -> a.acquire("room", TTL.multipliedBy(100), r));
    answer((Reply<Void> r) -> a.release(first, r));
    Lease second = answer((Reply<Lease> r) -> b.acquire("room", TTL.multipliedBy(100), r));
    assertEquals("b", second.node());
    assertNotEquals(first.generation(), second.generation());
    assertTrue(second.generation() > first.generation());
  }
}
