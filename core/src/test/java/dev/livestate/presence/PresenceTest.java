package dev.livestate.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Json;
import dev.livestate.testkit.Fast;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Fast
class PresenceTest {
  private static final Json ONE = new Json("1");
  private static final Json TWO = new Json("2");

  @Test
  void putSaysWhetherTheDataIsNewOrChanged() {
    Presence p = new Presence(1000);

    assertTrue(p.put("a", ONE, 0));
    assertFalse(p.put("a", ONE, 10));
    assertTrue(p.put("a", TWO, 20));
    assertEquals(Map.of("a", TWO), p.all());
  }

  @Test
  void recordsExpireOnlyWhenSilentLongerThanTheTimeout() {
    Presence p = new Presence(1000);
    p.put("a", ONE, 0);
    p.put("b", ONE, 0);
    p.touch("b", 600);

    assertEquals(List.of(), p.expire(1000));
    assertEquals(List.of("a"), p.expire(1001));
    assertEquals(Map.of("b", ONE), p.all());
    assertEquals(List.of("b"), p.expire(1601));
    assertEquals(Map.of(), p.all());
  }

  @Test
  void repeatingTheSameDataStillCountsAsBeingHeard() {
    Presence p = new Presence(1000);
    p.put("a", ONE, 0);
    p.put("a", ONE, 900);

    assertEquals(List.of(), p.expire(1500));
  }

  @Test
  void zeroTimeoutKeepsRecordsUntilRemoved() {
    Presence p = new Presence(0);
    p.put("a", ONE, 0);

    assertEquals(List.of(), p.expire(Long.MAX_VALUE));
    assertTrue(p.remove("a"));
    assertFalse(p.remove("a"));
    assertEquals(Map.of(), p.all());
  }

  @Test
  void touchingAnAbsentClientDoesNotCreateIt() {
    Presence p = new Presence(1000);

    p.touch("a", 0);

    assertEquals(Map.of(), p.all());
  }

  @Test
  void everyoneIsListedInArrivalOrderAndTheListIsACopy() {
    Presence p = new Presence(1000);
    p.put("b", ONE, 0);
    p.put("a", TWO, 0);
    p.put("b", TWO, 5);

    Map<String, Json> all = p.all();
    p.remove("a");

    assertEquals(List.of("b", "a"), List.copyOf(all.keySet()));
    assertEquals(TWO, all.get("a"));
    assertThrows(UnsupportedOperationException.class, () -> all.put("c", ONE));
  }
}
