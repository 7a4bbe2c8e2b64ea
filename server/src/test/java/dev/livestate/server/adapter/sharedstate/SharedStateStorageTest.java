package dev.livestate.server.adapter.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.database.Prerequisite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each storage backend a service can name, through the protocol: items written survive a
 * restart of livestate (except in-memory services, which start empty, as in the original).
 */
class SharedStateStorageTest {
  @TempDir Path dir;

  private static final String MARIADB = """
      {"db_type": "mysql", "db_name": "test", "db_table": "ss_items", "db_host": "127.0.0.1",
       "db_user": "root", "db_password": "", "ssl.enabled": false, "ssl.key": null,
       "ssl.ca": null, "ssl.cert": null}""";
  private static final String POSTGRES = """
      {"db_type": "postgresql", "db_name": "test", "db_table": "ss_items",
       "db_host": "127.0.0.1", "db_port": 5432, "db_user": "postgres", "db_password": ""}""";

  @Test
  void sqliteFileServicePersistsAcrossRestart() throws Exception {
    roundTrip("{\"db_type\": \"sqlite\", \"db_name\": \"shared.db\", \"db_table\": \"items\"}",
        true);
    assertTrue(Files.exists(dir.resolve("shared.db")),
        "the SQLite file is created under data-dir");
  }

  @Test
  void inMemoryServiceStartsEmptyAfterRestart() throws Exception {
    roundTrip("{\"db_type\": \"sqlite\", \"db_name\": \":memory:\", \"db_table\": \"items\"}",
        false);
  }

  @Test
  void mariadbServicePersistsAcrossRestart() throws Exception {
    Prerequisite.listening(3306, "MariaDB");
    roundTrip(MARIADB, true);
  }

  @Test
  void postgresqlServicePersistsAcrossRestart() throws Exception {
    Prerequisite.listening(5432, "PostgreSQL");
    roundTrip(POSTGRES, true);
  }

  @Test
  void defaultItemsServiceUsesTheServersDurableStore() throws Exception {
    String path = "/t" + System.nanoTime() + "/items/c";
    Map<String, String> settings = Map.of("data-dir", dir.toString());
    write(settings, path);
    assertEquals(List.of("a", "b"), ids(settings, path));
  }

  @Test
  void configFileInTheOriginalFormatIsAcceptedAsItIs() throws Exception {
    Path cfg = dir.resolve("original.json");
    Files.writeString(cfg, """
        {
            "service": {"host": "0.0.0.0", "port": 9000},
            "services": [
                {"name": "items", "module": "items_service",
                 "config": {"db_type": "sqlite", "db_name": "items.db", "db_table": "items"}},
                {"name": "mitems", "module": "items_service",
                 "config": {"db_type": "sqlite", "db_name": ":memory:", "db_table": "items"}}
            ]
        }""");
    try (TestServer s = TestServer.start(dir, Map.of("sharedstate.config", cfg.toString()));
        SharedStateClient c = SharedStateClient.connect(s)) {
      JsonNode names = c.get("/").path("data");
      assertEquals("[\"items\",\"mitems\"]", names.toString());
    }
  }

  private void roundTrip(String serviceConfig, boolean persists) throws Exception {
    Path cfg = dir.resolve("services.json");
    Files.writeString(cfg, "{\"services\": [{\"name\": \"svc\", \"module\": \"items_service\","
        + " \"config\": " + serviceConfig + "}]}");
    Map<String, String> settings = new HashMap<>(Map.of("data-dir", dir.toString(),
        "sharedstate.config", cfg.toString()));
    String path = "/t" + System.nanoTime() + "/svc/c";
    write(settings, path);
    if (!persists) {
      assertEquals(List.of(), ids(settings, path));
      return;
    }
    assertEquals(List.of("a", "b"), ids(settings, path));
  }

  /** Starts a server, writes three items and removes one, checks, stops it. */
  private static void write(Map<String, String> settings, String path) throws Exception {
    try (TestServer s = TestServer.start(settings);
        SharedStateClient c = SharedStateClient.connect(s)) {
      c.subscribe(path);
      JsonNode r = c.put(path, Map.of("insert", List.of(Map.of("id", "a", "v", 1),
          Map.of("id", "b", "v", 2), Map.of("id", "c", "v", 3))));
      assertTrue(r.path("ok").asBoolean(), r.toString());
      c.put(path, Map.of("remove", List.of("c")));
      assertEquals(List.of("a", "b"), ids(c, path));
    }
  }

  private static List<String> ids(Map<String, String> settings, String path) throws Exception {
    try (TestServer s = TestServer.start(settings);
        SharedStateClient c = SharedStateClient.connect(s)) {
      return ids(c, path);
    }
  }

  private static List<String> ids(SharedStateClient c, String path) throws Exception {
    JsonNode r = c.get(path);
    assertTrue(r.path("ok").asBoolean(), r.toString());
    return SharedStateProtocolTest.texts(r.path("data")).stream().sorted().toList();
  }
}
