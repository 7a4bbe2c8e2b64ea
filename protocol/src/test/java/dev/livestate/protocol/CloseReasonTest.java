package dev.livestate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The close codes are part of the protocol (docs/protocol.md): they must not drift. */
class CloseReasonTest {

  @Test
  void eachReasonHasItsDocumentedCodeAndAdvice() {
    assertEquals(1000, CloseReason.NORMAL.code());
    assertFalse(CloseReason.NORMAL.reconnect());
    assertEquals(1001, CloseReason.GOING_AWAY.code());
    assertEquals(1002, CloseReason.PROTOCOL_ERROR.code());
    assertEquals(1007, CloseReason.INVALID_MESSAGE.code());
    assertEquals(1008, CloseReason.TOO_SLOW.code());
    assertEquals(1009, CloseReason.MESSAGE_TOO_BIG.code());
    assertEquals(1011, CloseReason.SERVER_ERROR.code());
    for (CloseReason r : CloseReason.values()) {
      assertTrue(r == CloseReason.NORMAL || r.reconnect(), r + " asks the client to come back");
    }
  }

  @Test
  void aCodeNamesItsReason() {
    for (CloseReason r : CloseReason.values()) {
      assertEquals(r, CloseReason.of(r.code()));
    }
    assertNull(CloseReason.of(4000));
  }
}
