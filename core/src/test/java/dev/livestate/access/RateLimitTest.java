package dev.livestate.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.testkit.Fast;
import org.junit.jupiter.api.Test;

@Fast
class RateLimitTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketGivesItsBurstAtOnceThenRefusesWithoutTakingAnything() {
    RateLimit r = new RateLimit(10, 5);
    long t = 123 * SECOND;
    assertTrue(r.take(t, 3));
    assertTrue(r.take(t, 2));
    assertFalse(r.take(t, 1));
    assertTrue(r.take(t + SECOND / 10, 1), "a tenth of a second refills one at 10/s");
    assertFalse(r.take(t + SECOND / 10, 1));
  }

  @Test
  void aRefusedBatchTakesNoneOfItsTokens() {
    RateLimit r = new RateLimit(1, 4);
    assertFalse(r.take(0, 5));
    assertTrue(r.take(0, 4));
  }

  @Test
  void refillingStopsAtTheBurst() {
    RateLimit r = new RateLimit(1000, 3);
    assertTrue(r.take(0, 3));
    assertTrue(r.idle(3600 * SECOND));
    assertTrue(r.take(3600 * SECOND, 3));
    assertFalse(r.take(3600 * SECOND, 1));
  }

  @Test
  void timeGoingBackwardsRefillsNothing() {
    RateLimit r = new RateLimit(1, 2);
    assertTrue(r.take(10 * SECOND, 2));
    assertFalse(r.take(5 * SECOND, 1));
    assertFalse(r.take(10 * SECOND, 1), "no refill for time already counted");
    assertTrue(r.take(11 * SECOND, 1));
  }

  @Test
  void aBucketIsIdleOnlyWhenFull() {
    RateLimit r = new RateLimit(2, 2);
    assertTrue(r.idle(0));
    assertTrue(r.take(0, 1));
    assertFalse(r.idle(0));
    assertFalse(r.idle(SECOND / 4), "half a token back, not yet full");
    assertTrue(r.idle(SECOND / 2));
  }

  @Test
  void timeMayCountFromANegativeOriginAsNanoTimeDoes() {
    RateLimit r = new RateLimit(1, 1);
    assertTrue(r.take(-10 * SECOND, 1));
    assertFalse(r.take(-10 * SECOND, 1));
    assertTrue(r.take(-9 * SECOND, 1), "a second later, one is back");
  }

  @Test
  void itTellsHowLongUntilABatchWouldPass() {
    RateLimit r = new RateLimit(10, 5);
    assertEquals(0, r.nanosUntil(0, 5));
    assertTrue(r.take(0, 5));
    assertEquals(SECOND / 10, r.nanosUntil(0, 1));
    assertEquals(SECOND / 2, r.nanosUntil(0, 5));
    assertEquals(0, r.nanosUntil(SECOND / 2, 5));
    assertEquals(Long.MAX_VALUE, r.nanosUntil(0, 6), "more than the burst never passes");
    assertEquals(0, new RateLimit(0, 1).nanosUntil(0, 1_000_000));
  }

  @Test
  void spendingMoreThanIsThereLeavesADebtTheRefillPaysFirst() {
    RateLimit r = new RateLimit(10, 5);
    r.spend(0, 8);
    assertFalse(r.take(0, 1));
    assertEquals(4 * SECOND / 10, r.nanosUntil(0, 1), "three owed, then one");
    assertTrue(r.take(4 * SECOND / 10, 1));
    RateLimit free = new RateLimit(0, 1);
    free.spend(0, 1_000);
    assertTrue(free.take(0, 1), "an unlimited bucket owes nothing");
  }

  @Test
  void aRateOfZeroLimitsNothing() {
    RateLimit r = new RateLimit(0, 1);
    assertTrue(r.unlimited());
    assertTrue(r.take(0, 1_000_000));
    assertTrue(r.idle(0));
    assertFalse(new RateLimit(1, 1).unlimited());
  }

  @Test
  void aBurstBelowOneStillLetsOneThrough() {
    RateLimit r = new RateLimit(1, 0);
    assertTrue(r.take(0, 1));
    assertFalse(r.take(0, 1));
  }

  @Test
  void aFirstSpendStartsTheRefill() {
    RateLimit r = new RateLimit(10, 5);
    r.spend(0, 5);
    assertTrue(r.take(SECOND / 2, 5), "half a second after the spend refills five");
  }
}
