package dev.livestate.server.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientRatesTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void eachClientHasItsOwnBucketRefilledAtTheRate() {
    ClientRates rates = new ClientRates(2, 4);
    assertTrue(rates.take("a", 0, 4));
    assertFalse(rates.take("a", 0, 1), "a's burst is spent");
    assertTrue(rates.take("b", 0, 4), "b's is its own");
    assertTrue(rates.take("a", SECOND, 2), "two more a second later");
    assertFalse(rates.take("a", SECOND, 1));
  }

  @Test
  void pruneForgetsOnlyClientsWhoseBucketIsFullAgain() {
    ClientRates rates = new ClientRates(1, 2);
    rates.take("a", 0, 2);
    rates.take("b", 0, 1);
    rates.prune(SECOND);
    assertEquals(1, rates.size(), "b is full again after a second, a is not");
    rates.prune(2 * SECOND);
    assertEquals(0, rates.size());
  }

  @Test
  void aRateOfZeroLimitsNothingAndRemembersNoOne() {
    ClientRates rates = new ClientRates(0, 0);
    for (int i = 0; i < 1000; i++) {
      assertTrue(rates.take("a", 0, 100));
    }
    assertEquals(0, rates.size());
  }
}
