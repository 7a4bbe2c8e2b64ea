package dev.livestate.server.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Names in URL paths must be percent-encoded UTF-8, or distinct names decode alike. */
class PercentEncodingTest {
  @Test
  void utf8EscapesAndPlainPathsPass() {
    assertTrue(PercentEncoding.decodesToUtf8("/api/rooms/plain"));
    assertTrue(PercentEncoding.decodesToUtf8("/api/rooms/caf%C3%A9%2Fbar%3Abaz"));
    assertTrue(PercentEncoding.decodesToUtf8("/api/rooms/grin%F0%9F%98%80/stream"));
    assertTrue(PercentEncoding.decodesToUtf8("/api/rooms/100%"), "no escape: the router's to judge");
  }

  @Test
  void aHalfOfASurrogatePairOrAnyOtherMalformedSequenceIsRefused() {
    assertFalse(PercentEncoding.decodesToUtf8("/api/rooms/twin%ED%A0%80"));
    assertFalse(PercentEncoding.decodesToUtf8("/api/rooms/twin%ed%a0%81"));
    assertFalse(PercentEncoding.decodesToUtf8("/synk/%FF"));
    assertFalse(PercentEncoding.decodesToUtf8("/synk/%C3"), "cut off");
    assertFalse(PercentEncoding.decodesToUtf8("/synk/%C0%AF"), "overlong");
  }
}
