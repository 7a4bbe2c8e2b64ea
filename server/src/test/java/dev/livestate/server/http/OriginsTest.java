package dev.livestate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.LivestateServer;
import dev.livestate.server.adapter.nativews.NativeConfig;
import dev.livestate.server.adapter.synk.SynkConfig;
import dev.livestate.server.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OriginsTest {
  private static final String HOST = "livestate.example:8080";

  @Test
  void aRequestFromNoPageIsAlwaysAllowed() {
    assertTrue(Origins.parse("k", "none").allows(null, HOST));
    assertFalse(Origins.parse("k", "none").allows("https://a.example", HOST));
  }

  @Test
  void anyAllowsEveryPageButListsNone() {
    Origins any = Origins.parse("k", "*");
    assertTrue(any.allows("https://evil.example", HOST));
    assertTrue(any.allows("null", HOST), "a sandboxed page or a file");
    assertFalse(any.listed("https://evil.example"), "so it never gets credentials");
  }

  @Test
  void sameOriginIsAPageThisServerServed() {
    Origins same = Origins.parse("k", "same-origin");
    assertTrue(same.allows("http://livestate.example:8080", HOST));
    assertTrue(same.allows("https://LIVESTATE.example:8080", HOST), "case and scheme aside");
    assertFalse(same.allows("http://livestate.example:3000", HOST), "another port");
    assertFalse(same.allows("http://evil.example", HOST));
    assertFalse(same.allows("http://evil.example", null));
  }

  @Test
  void localhostIsAnyPageOfThisMachine() {
    Origins local = Origins.parse("k", "localhost");
    for (String o : new String[] {"http://localhost:3000", "http://localhost", "http://127.0.0.1:5173",
        "http://[::1]:8080", "http://app.localhost:3000", "https://127.1.2.3"}) {
      assertTrue(local.allows(o, HOST), o);
    }
    for (String o : new String[] {"http://localhost.evil.example", "http://127.0.0.1.evil.example",
        "http://evil.example", "null"}) {
      assertFalse(local.allows(o, HOST), o);
    }
  }

  @Test
  void listedOriginsAreExactAndTheOnlyOnesGivenCredentials() {
    Origins listed = Origins.parse("k", "https://App.example/, localhost");
    assertTrue(listed.allows("https://app.example", HOST));
    assertTrue(listed.listed("https://APP.example"));
    assertFalse(listed.allows("http://app.example", HOST), "another scheme is another origin");
    assertFalse(listed.allows("https://app.example:8443", HOST));
    assertFalse(listed.listed("http://localhost:3000"), "a page of this machine is not named");
  }

  @Test
  void whatIsNeitherAKeywordNorAnOriginStopsTheStart() {
    for (String bad : new String[] {"", " , ", "app.example", "https://app.example/path",
        "none, localhost", "https://"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Origins.parse("synk.origins", bad));
      assertTrue(e.getMessage().startsWith("synk.origins"), e.getMessage());
    }
  }

  @Test
  void theDeprecatedCorsOriginsStandsInOnlyWhereASurfacesOwnIsNotGiven() {
    Settings old = settings(Map.of("cors.origins", "https://old.example"));
    assertEquals("https://old.example", SynkConfig.from(old).origins().toString());
    Settings both = settings(Map.of("cors.origins", "https://old.example",
        "synk.origins", "https://new.example"));
    assertEquals("https://new.example", SynkConfig.from(both).origins().toString());
    assertEquals("*", SynkConfig.from(settings(Map.of())).origins().toString());
  }

  @Test
  void theNativeDoorAllowsOnlyThisServersAndThisMachinesPagesInOpenModeAndAnyWithTokens() {
    assertEquals("same-origin, localhost",
        NativeConfig.from(settings(Map.of())).origins().toString());
    assertEquals("*", NativeConfig.from(settings(Map.of("auth.hmac-secret",
        "a secret of at least thirty-two bytes"))).origins().toString());
    assertEquals("https://app.example", NativeConfig.from(settings(Map.of(
        "native.origins", "https://app.example"))).origins().toString());
  }

  private static Settings settings(Map<String, String> given) {
    return Settings.of(LivestateServer.allSettings(), given);
  }
}
