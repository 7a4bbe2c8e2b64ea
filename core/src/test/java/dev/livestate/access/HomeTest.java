package dev.livestate.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.testkit.Fast;
import org.junit.jupiter.api.Test;

@Fast
class HomeTest {

  @Test
  void eachSurfaceIsKnownByItsPrefixAndEverythingElseIsNative() {
    assertEquals(Home.UI_SYNC, Home.of("uisync:mrc"));
    assertEquals(Home.USER_STATUS, Home.of("userstatus:mrc"));
    assertEquals(Home.SHARED_STATE, Home.of("sharedstate:/app/s/c"));
    assertEquals(Home.MEET, Home.of("meet:123456789"));
    assertEquals(Home.SUPERSYNK, Home.of("synk:lobby"));
    assertEquals(Home.SYSTEM, Home.of("livestate:clients"));
    assertEquals(Home.NATIVE, Home.of("todo"));
    assertEquals(Home.NATIVE, Home.of("my-meet:1"), "a prefix counts only at the start");
    assertEquals(Home.NATIVE, Home.of("meet"), "the bare word is a native room");
  }

  @Test
  void labelsAndPrefixesReadAsUsersWriteThem() {
    assertEquals("ui-sync", Home.UI_SYNC.label());
    assertEquals("native", Home.NATIVE.label());
    assertEquals("meet:", Home.MEET.prefix());
    assertEquals("", Home.NATIVE.prefix());
  }
}
