package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.server.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is the reference the code generates, so it cannot drift. */
class ConfigurationReferenceTest {
  @Test
  void theDocumentedReferenceMatchesEverySettingTheServerReads() throws Exception {
    Path doc = Path.of("..", "docs", "configuration.md");
    String expected = Settings.reference(LivestateServer.allSettings());
    assertEquals(expected, Files.readString(doc),
        "docs/configuration.md is stale: regenerate it with ./livestate --print-config-reference > docs/configuration.md");
  }
}
