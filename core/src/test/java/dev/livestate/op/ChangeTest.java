package dev.livestate.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.livestate.testkit.Fast;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A change tells the keys it gives a value, JSON null among them, from the keys it deletes. */
@Fast
class ChangeTest {

  @Test
  void setsHoldEveryValueJsonNullIncludedAndDeletesTheRestInOrder() {
    Map<String, Json> values = new LinkedHashMap<>();
    values.put("z", new Json("1"));
    values.put("gone", null);
    values.put("empty", Json.NULL);
    values.put("also gone", null);
    values.put("a", new Json("[null]"));
    Change put = new Change.Put(values);

    assertEquals(List.of(Map.entry("z", new Json("1")), Map.entry("empty", Json.NULL),
        Map.entry("a", new Json("[null]"))), List.copyOf(put.sets().entrySet()));
    assertEquals(List.of("gone", "also gone"), put.deletes());
    assertEquals(put.sets(), new Change.Reset(values).sets());
  }

  @Test
  void theValueNullAndADeleteAreDifferentChanges() {
    assertNotEquals(Change.Put.of("k", Json.NULL), Change.Put.of("k", null));
    assertEquals(List.of(), Change.Put.of("k", Json.NULL).deletes());
    assertEquals(Map.of(), Change.Put.of("k", null).sets());
  }
}
