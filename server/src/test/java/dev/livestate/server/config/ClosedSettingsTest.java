package dev.livestate.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.LivestateServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A setting with a fixed set of values refuses any other at start, naming the ones it takes,
 * instead of quietly taking it for one of them.
 */
class ClosedSettingsTest {

  private static String refusal(String key, String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Settings.of(LivestateServer.allSettings(), Map.of(key, value)));
    return e.getMessage();
  }

  @Test
  void aBogusStoreSyncStopsMainNamingFullAndNormal() throws Exception {
    ConfigPrecedenceTest.Run run = ConfigPrecedenceTest.main(Map.of(), "--store-sync", "bogus");

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("invalid value 'bogus' for store.sync: expected one of full,"
        + " normal"), run.err());
  }

  @Test
  void everyClosedSettingNamesItsValues() {
    assertEquals("invalid value 'maybe' for uisync.takeover: expected one of allow, refuse",
        refusal("uisync.takeover", "maybe"));
    assertEquals("invalid value 'ssl' for meet.smtp.security: expected one of none, starttls, tls",
        refusal("meet.smtp.security", "ssl"));
    assertTrue(refusal("store", "mongodb://db").startsWith(
        "invalid value 'mongodb://db' for store: expected sqlite, memory or a jdbc: URL"));
    assertTrue(refusal("store.sync", "FULL").endsWith("expected one of full, normal"),
        "values are spelled in lower case only");
  }

  @Test
  void theAllowedValuesAreTaken() {
    Settings s = Settings.of(LivestateServer.allSettings(), Map.of("store.sync", "normal",
        "uisync.takeover", "refuse", "meet.smtp.security", "tls", "store", "memory"));

    assertEquals("normal", Setting.spelling(s.get(ServerSettings.STORE_SYNC)));
    assertEquals("refuse", Setting.spelling(
        s.get(dev.livestate.server.adapter.uisync.UiSyncConfig.TAKEOVER)));
    assertEquals("tls", Setting.spelling(
        s.get(dev.livestate.server.adapter.meet.MeetConfig.SMTP_SECURITY)));
  }
}
