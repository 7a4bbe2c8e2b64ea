package dev.livestate.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbcStore#connect} refuses before a store exists. Apart from the store tests: a
 * failed login costs the pool a second's pause, which PIT would otherwise pay in every minion.
 */
class ConnectTest {
  @Test
  void connectingToAnUnreachableServerFailsAtOnce() {
    long start = System.nanoTime();
    assertThrows(RuntimeException.class,
        () -> JdbcStore.connect("jdbc:postgresql://127.0.0.1:1/none", "u", "p", "x_"));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
  }

  @Test
  void unsafeTablePrefixesAndUnknownUrlsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> JdbcStore.connect("jdbc:mariadb://h/db", "u", "p", "x; DROP TABLE y"));
    assertThrows(IllegalArgumentException.class,
        () -> JdbcStore.connect("jdbc:oracle:thin:@h:1521:db", "u", "p"));
  }
}
