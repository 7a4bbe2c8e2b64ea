package dev.livestate.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** --print-config tells whether a secret is set, never the secret. */
class SecretSettingsTest {

  @Test
  void printConfigHidesPasswordsTokensAndLeaderSecrets() throws Exception {
    ConfigPrecedenceTest.Run run = ConfigPrecedenceTest.main(Map.of(),
        "--print-config", "--store-password", "hunter2", "--auth-hmac-secret", "t0ken-of-at-least-thirty-two-bytes",
        "--meet-smtp-password", "sm7p", "--uisync-leader-secrets", "mrc=s3cret");

    assertEquals(0, run.exit(), run.err());
    for (String secret : new String[] {"hunter2", "t0ken-of", "sm7p", "s3cret"}) {
      assertFalse(run.out().contains(secret), secret + " printed:\n" + run.out());
    }
    Map<String, String> config = run.config();
    assertEquals("(set, not shown)", config.get("store.password"));
    assertEquals("(set, not shown)", config.get("auth.hmac-secret"));
    assertEquals("(set, not shown)", config.get("meet.smtp.password"));
    assertEquals("(set, not shown)", config.get("uisync.leader-secrets"));
    assertEquals("", config.get("store.user"), "an empty secret shows as empty: nothing is set");
  }

  @Test
  void aPasswordInsideAJdbcUrlIsHiddenToo() {
    Settings s = Settings.of(dev.livestate.server.LivestateServer.allSettings(), Map.of("store",
        "jdbc:postgresql://db/live?user=app&password=hunter2&ssl=true"));
    assertTrue(s.describe().contains(
        "store = jdbc:postgresql://db/live?user=app&password=(not shown)&ssl=true"), s.describe());
  }
}
