package dev.livestate.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.LivestateServer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A compatibility surface closed with {@code <surface>.access=token} on a server with no key
 * could never admit anyone: the start stops and says which settings make sense of it.
 */
class SurfaceAccessSettingsTest {
  static final List<String> CLOSABLE = List.of("uisync.access", "userstatus.access",
      "sharedstate.access", "synk.access");

  @Test
  void aSurfaceClosedWithTokensOnAServerWithNoKeyDoesNotStart() throws Exception {
    for (String setting : CLOSABLE) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> LivestateServer.start(Settings.of(LivestateServer.allSettings(), Map.of(
              "port", "0", "store", "memory",
              "data-dir", Files.createTempDirectory("livestate-access").toString(),
              setting, "token"))));
      assertEquals(setting + "=token needs a key to verify tokens with: set auth.hmac-secret or"
          + " auth.public-keys", e.getMessage());
    }
  }

  @Test
  void mainSaysSoAndExits() throws Exception {
    ConfigPrecedenceTest.Run run = ConfigPrecedenceTest.main(Map.of(), "--store", "memory",
        "--port", "0", "--synk-access", "token");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("synk.access=token needs a key"), run.err());
  }

  @Test
  void accessIsOpenOrToken() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Settings.of(LivestateServer.allSettings(), Map.of("uisync.access", "closed")));
    assertEquals("invalid value 'closed' for uisync.access: expected one of open, token",
        e.getMessage());
  }
}
