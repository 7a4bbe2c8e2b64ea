package dev.livestate.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceTest {
  private static final Json ONE = new Json("1");

  @Test
  void putSaysWhetherTheDataIsNewOrChanged() {
    Presence p = new Presence(1000);

    assertTrue(p.put("a", ONE, 0));
    assertFalse(p.put("a", ONE, 10));
    assertTrue(p.put("a", new Json("2"), 20));
  }

  @Test
  void recordsExpireOnlyWhenSilentLongerThanTheTimeout() {
    Presence p = new Presence(1000);
    p.put("a", ONE, 0);
    p.put("b", ONE, 0);
    p.touch("b", 600);

    assertEquals(List.of(), p.expire(1000));
    assertEquals(List.of("a"), p.expire(1001));
    assertEquals(List.of("b"), p.expire(1601));
    assertEquals(0, p.size());
  }

  @Test
  void zeroTimeoutKeepsRecordsUntilRemoved() {
    Presence p = new Presence(0);
    p.put("a", ONE, 0);

    assertEquals(List.of(), p.expire(Long.MAX_VALUE));
    assertTrue(p.remove("a"));
    assertFalse(p.remove("a"));
  }

  @Test
  void touchingAnAbsentClientDoesNotCreateIt() {
    Presence p = new Presence(1000);

    assertFalse(p.touch("a", 0));
    assertFalse(p.contains("a"));
  }
}
