package dev.livestate.server.adapter.meet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.engine.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-meet pacing of password checks, on a manual clock and timer: no real time passes. */
class PasswordPacerTest {
  static final long INTERVAL = 1000;

  private final ManualClock clock = new ManualClock(0);
  private final List<Scheduled> timers = new ArrayList<>();
  /** Checks started, as "address:n" in the order they started. */
  private final List<String> started = new ArrayList<>();
  /** The checks running, by the same names, with the callback that finishes each. */
  private final List<Running> running = new ArrayList<>();

  private record Scheduled(long at, Runnable task) {}

  private record Running(String name, Runnable finished) {}

  private PasswordPacer pacer(int burst) {
    return new PasswordPacer(clock::millis, Duration.ofMillis(INTERVAL), burst,
        (delay, task) -> timers.add(new Scheduled(clock.millis() + delay, task)));
  }

  /** Moves the clock on, running each timer when its time comes. */
  private void advance(long millis) {
    long end = clock.millis() + millis;
    for (;;) {
      Scheduled next = timers.stream().filter(t -> t.at() <= end)
          .min(Comparator.comparingLong(Scheduled::at)).orElse(null);
      if (next == null) {
        break;
      }
      timers.remove(next);
      clock.set(Math.max(clock.millis(), next.at()));
      next.task().run();
    }
    clock.set(end);
  }

  private boolean offer(PasswordPacer pacer, String meet, String name) {
    String address = name.substring(0, name.indexOf(':'));
    return pacer.offer(meet, address, finished -> {
      started.add(name);
      running.add(new Running(name, finished));
    });
  }

  private void finish(String name) {
    Running r = running.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    running.remove(r);
    r.finished().run();
  }

  @Test
  void checksOfAnIdleMeetStartAtOnceUpToTheBurstThenOnePerInterval() {
    PasswordPacer pacer = pacer(3);
    for (String name : List.of("a:1", "b:1", "c:1", "d:1")) {
      assertTrue(offer(pacer, "m", name));
    }
    assertEquals(List.of("a:1", "b:1", "c:1"), started);
    advance(INTERVAL - 1);
    assertEquals(3, started.size(), "the fourth waits for the interval");
    advance(1);
    assertEquals(List.of("a:1", "b:1", "c:1", "d:1"), started);
  }

  @Test
  void anAddressHasOneCheckOfAMeetRunningAtATime() {
    PasswordPacer pacer = pacer(5);
    offer(pacer, "m", "a:1");
    offer(pacer, "m", "a:2");
    advance(10 * INTERVAL);
    assertEquals(List.of("a:1"), started);
    finish("a:1");
    assertEquals(List.of("a:1", "a:2"), started, "the next starts as soon as one finishes");
  }

  @Test
  void anAddressMayHaveOnlyAFewChecksOfAMeetWaiting() {
    PasswordPacer pacer = pacer(5);
    assertTrue(offer(pacer, "m", "a:0"));
    for (int i = 1; i <= PasswordPacer.WAITING_PER_ADDRESS; i++) {
      assertTrue(offer(pacer, "m", "a:" + i));
    }
    assertFalse(offer(pacer, "m", "a:refused"));
    assertTrue(offer(pacer, "m", "b:1"), "another address is not affected");
    assertTrue(offer(pacer, "other", "a:1"), "nor is another meet");
    assertEquals(List.of("a:0", "b:1", "a:1"), started);
  }

  @Test
  void aFloodFromManyAddressesDelaysAnotherAddressByOneTurnPerFloodingAddress() {
    PasswordPacer pacer = pacer(1);
    List<String> strangers = List.of("s1", "s2", "s3");
    int[] sent = {0};
    // each stranger keeps its queue full, and its checks fail at once
    for (String s : strangers) {
      while (offer(pacer, "m", s + ":" + ++sent[0])) {
        finishAll();
      }
    }
    offer(pacer, "m", "location:1");
    for (int turn = 0; turn < strangers.size() + 1 && !started.contains("location:1"); turn++) {
      advance(INTERVAL);
      finishAllExcept("location:1");
      for (String s : strangers) {
        while (offer(pacer, "m", s + ":" + ++sent[0])) {
          finishAll();
        }
      }
    }
    assertTrue(started.contains("location:1"),
        "the location's check started within " + (strangers.size() + 1) + " intervals: "
            + started);
  }

  private void finishAll() {
    finishAllExcept(null);
  }

  private void finishAllExcept(String keep) {
    for (Running r : List.copyOf(running)) {
      if (!r.name().equals(keep)) {
        finish(r.name());
      }
    }
  }

  @Test
  void checksAreTakenRoundRobinAcrossAddresses() {
    PasswordPacer pacer = pacer(1);
    for (String name : List.of("a:1", "a:2", "a:3", "b:1", "b:2", "c:1")) {
      offer(pacer, "m", name);
      finishAll();
    }
    for (int i = 0; i < 5; i++) {
      advance(INTERVAL);
      finishAll();
    }
    assertEquals(List.of("a:1", "a:2", "b:1", "c:1", "a:3", "b:2"), started);
  }

  @Test
  void meetsArePacedEachOnItsOwn() {
    PasswordPacer pacer = pacer(1);
    offer(pacer, "m", "a:1");
    offer(pacer, "n", "a:2");
    assertEquals(List.of("a:1", "a:2"), started);
  }

  @Test
  void aMeetIsForgottenOnceNothingWaitsAndItsBurstIsWholeAgain() {
    PasswordPacer pacer = pacer(2);
    offer(pacer, "m", "a:1");
    offer(pacer, "m", "b:1");
    finishAll();
    assertEquals(1, pacer.meets(), "remembered while its burst is spent: no fresh burst");
    offer(pacer, "m", "c:1");
    assertEquals(2, started.size(), "the spent burst still holds c back");
    advance(INTERVAL);
    finishAll();
    advance(2 * INTERVAL);
    assertEquals(0, pacer.meets());
    assertTrue(timers.isEmpty());
  }

  @Test
  void aCheckReportingItsEndTwiceFreesOneTurnOnly() {
    PasswordPacer pacer = pacer(5);
    List<Runnable> finishers = new ArrayList<>();
    pacer.offer("m", "a", finishers::add);
    pacer.offer("m", "a", finishers::add);
    pacer.offer("m", "a", finishers::add);
    Runnable first = finishers.get(0);
    first.run();
    first.run();
    assertEquals(2, finishers.size(), "the second finish of the first check started nothing");
  }
}
