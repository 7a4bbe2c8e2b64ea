package dev.livestate.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.testkit.Fast;
import org.junit.jupiter.api.Test;

/** Values are kept as their JSON text, byte for byte. */
@Fast
class JsonTest {

  @Test
  void onlyTheJsonNullLiteralIsNull() {
    assertTrue(Json.NULL.isNull());
    assertTrue(new Json("null").isNull());
    assertFalse(new Json("\"null\"").isNull());
    assertFalse(new Json("0").isNull());
  }

  @Test
  void textIsKeptExactlyAndPrintedAsIs() {
    Json v = new Json("{\"a\": 1 }");

    assertEquals("{\"a\": 1 }", v.text());
    assertEquals("{\"a\": 1 }", v.toString());
    assertEquals(new Json("{\"a\": 1 }"), v);
  }

  @Test
  void aValueMustHaveText() {
    assertThrows(NullPointerException.class, () -> new Json(null));
  }
}
