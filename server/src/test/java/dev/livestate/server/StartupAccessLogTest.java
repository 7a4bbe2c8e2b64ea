package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.server.auth.TestTokens;
import dev.livestate.server.config.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up log says which pages each surface takes and which surfaces are open or closed. */
class StartupAccessLogTest {

  @Test
  void theLogNamesThePagesAllowedAndTheOpenAndClosedSurfaces() {
    Map<String, String> given = new HashMap<>(TestTokens.tokenMode());
    given.put("sharedstate.access", "token");
    given.put("uisync.origins", "https://www.photonranch.org");
    assertEquals(List.of(
        "pages allowed (Origin): native door and HTTP API *; uisync https://www.photonranch.org;"
            + " userstatus *; sharedstate *; meet *; synk *",
        "open to anyone, as their originals were: uisync, userstatus, synk (close one with"
            + " <surface>.access=token)",
        "closed, a token granting their rooms required: sharedstate"),
        Surfaces.describeAccess(Settings.of(LivestateServer.allSettings(), given)));
  }

  @Test
  void inOpenModeTheNativeDoorTakesThisServersAndThisMachinesPages() {
    assertEquals("pages allowed (Origin): native door and HTTP API same-origin, localhost;"
        + " uisync *; userstatus *; sharedstate *; meet *; synk *",
        Surfaces.describeAccess(Settings.of(LivestateServer.allSettings(), Map.of())).get(0));
  }
}
