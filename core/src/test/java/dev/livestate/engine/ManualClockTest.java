package dev.livestate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.testkit.Fast;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A clock that moves only when told to. */
@Fast
class ManualClockTest {

  @Test
  void itStandsStillUntilMovedAndMayBeSetBack() {
    ManualClock clock = new ManualClock(1_000);

    assertEquals(1_000, clock.millis());
    assertEquals(Instant.ofEpochMilli(1_000), clock.instant());
    assertEquals(1_500, clock.advanceMillis(500));
    assertEquals(61_500, clock.advance(Duration.ofMinutes(1)));
    clock.set(10);
    assertEquals(10, clock.millis());
    assertEquals("ManualClock[1970-01-01T00:00:00.010Z]", clock.toString());
  }

  @Test
  void itStartsAtTheStartOf2024InUtc() {
    ManualClock clock = new ManualClock();

    assertEquals(Instant.parse("2024-01-01T00:00:00Z"), clock.instant());
    assertEquals(ZoneOffset.UTC, clock.getZone());
  }

  @Test
  void aClockInAnotherZoneSharesTheTime() {
    ManualClock clock = new ManualClock(0);
    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

    clock.advanceMillis(42);

    assertEquals(42, paris.millis());
    assertEquals(ZoneId.of("Europe/Paris"), paris.getZone());
  }
}
