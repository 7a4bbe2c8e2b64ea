package dev.livestate.server.adapter.meet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.livestate.engine.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-address limit: attempts in the window plus attempts in flight, on a manual clock. */
class AddressLimitTest {
  private final ManualClock clock = new ManualClock(0);
  private final AddressLimit limit = new AddressLimit(clock::millis, Duration.ofMinutes(15), 3);

  @Test
  void attemptsInFlightCountBeforeAnyHasEnded() {
    List<AddressLimit.Attempt> inFlight = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inFlight.add(assertAdmitted("10.0.0.1"));
    }
    assertNull(limit.begin("10.0.0.1"), "a fourth concurrent attempt is refused");
    assertNotNull(limit.begin("10.0.0.2"), "another address has its own limit");
    inFlight.get(0).end(false);
    assertNotNull(limit.begin("10.0.0.1"), "an attempt that ended uncounted frees its place");
  }

  @Test
  void countedAttemptsStayUntilTheWindowHasPassed() {
    for (int i = 0; i < 3; i++) {
      assertAdmitted("10.0.0.1").end(true);
    }
    clock.advance(Duration.ofMinutes(15).minusMillis(1));
    assertNull(limit.begin("10.0.0.1"));
    clock.advanceMillis(2);
    assertNotNull(limit.begin("10.0.0.1"));
  }

  @Test
  void endingAnAttemptTwiceCountsItOnce() {
    AddressLimit.Attempt a = assertAdmitted("10.0.0.1");
    a.end(true);
    a.end(true);
    assertAdmitted("10.0.0.1");
    assertAdmitted("10.0.0.1");
    assertNull(limit.begin("10.0.0.1"));
  }

  @Test
  void addressesWithNothingLeftAreForgotten() {
    assertAdmitted("10.0.0.1").end(false);
    assertEquals(0, limit.size(), "nothing counted, nothing in flight");
    assertAdmitted("10.0.0.2").end(true);
    assertEquals(1, limit.size());
    clock.advance(Duration.ofMinutes(16));
    limit.prune();
    assertEquals(0, limit.size());
  }

  @Test
  void ipv6AddressesCountByTheirSlash64() {
    for (int i = 0; i < 3; i++) {
      assertAdmitted("2001:db8:0:1::" + Integer.toHexString(i + 1));
    }
    assertNull(limit.begin("2001:db8:0:1::ffff"), "the same /64 is the same subscriber");
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new AddressLimit(clock::millis, Duration.ofMinutes(1), 0));
  }

  private AddressLimit.Attempt assertAdmitted(String address) {
    AddressLimit.Attempt a = limit.begin(address);
    assertNotNull(a, address + " admitted");
    return a;
  }
}
