package dev.livestate.server.adapter.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.database.Prerequisite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a named service's items are written: into the database or file its config names, read
 * back here with JDBC, and never into the server's own store (livestate.db under data-dir). A
 * round trip through the protocol cannot tell these apart.
 */
class SharedStateServiceStoreTest {
  @TempDir Path dir;

  @Test
  void sqliteFileServiceWritesIntoItsOwnFile() throws Exception {
    String room = writeThroughService(
        "{\"db_type\": \"sqlite\", \"db_name\": \"shared.db\", \"db_table\": \"items\"}");
    String url = "jdbc:sqlite:" + dir.resolve("shared.db");
    assertEquals(List.of("a", "b"), liveKeys(url, "", "", "", room));
    assertEquals(2, opCount(url, "", "", "", room), "the insert and the remove");
    assertNotInServersOwnStore(room);
  }

  @Test
  void sqliteServiceNamingTheServersOwnFileSharesIt() throws Exception {
    String room = writeThroughService(
        "{\"db_type\": \"sqlite\", \"db_name\": \"livestate.db\", \"db_table\": \"items\"}");
    assertEquals(List.of("a", "b"), liveKeys(ownStore(), "", "", "", room));
  }

  @Test
  void mariadbServiceWritesIntoItsDatabaseTables() throws Exception {
    Prerequisite.listening(3306, "MariaDB");
    String room = writeThroughService("""
        {"db_type": "mysql", "db_name": "test", "db_table": "ss_where", "db_host": "127.0.0.1",
         "db_user": "root", "db_password": ""}""");
    String url = "jdbc:mariadb://127.0.0.1:3306/test";
    assertEquals(List.of("a", "b"), liveKeys(url, "root", "", "ss_where_", room));
    assertEquals(2, opCount(url, "root", "", "ss_where_", room));
    assertNotInServersOwnStore(room);
  }

  @Test
  void postgresqlServiceWritesIntoItsDatabaseTables() throws Exception {
    Prerequisite.listening(5432, "PostgreSQL");
    String room = writeThroughService("""
        {"db_type": "postgresql", "db_name": "test", "db_table": "ss_where",
         "db_host": "127.0.0.1", "db_port": 5432, "db_user": "postgres", "db_password": ""}""");
    String url = "jdbc:postgresql://127.0.0.1:5432/test";
    assertEquals(List.of("a", "b"), liveKeys(url, "postgres", "", "ss_where_", room));
    assertEquals(2, opCount(url, "postgres", "", "ss_where_", room));
    assertNotInServersOwnStore(room);
  }

  /**
   * Serves one service {@code svc} with that config on a server whose own store is SQLite in
   * data-dir, inserts a, b, c and removes c; returns the collection's room name once stopped.
   */
  private String writeThroughService(String serviceConfig) throws Exception {
    return writeThroughServices(Map.of("svc", serviceConfig)).get("svc");
  }

  /** The same with several services at once; returns each one's room name by service. */
  private Map<String, String> writeThroughServices(Map<String, String> configs) throws Exception {
    Path cfg = dir.resolve("services.json");
    List<String> list = new ArrayList<>();
    configs.forEach((name, config) -> list.add("{\"name\": \"" + name
        + "\", \"module\": \"items_service\", \"config\": " + config + "}"));
    Files.writeString(cfg, "{\"services\": [" + String.join(",", list) + "]}");
    String app = "/w" + System.nanoTime();
    Map<String, String> rooms = new TreeMap<>();
    try (TestServer s = TestServer.start(dir,
        Map.of("store", "sqlite", "sharedstate.config", cfg.toString()));
        SharedStateClient c = SharedStateClient.connect(s)) {
      for (String name : configs.keySet()) {
        String path = app + "/" + name + "/c";
        JsonNode r = c.put(path, Map.of("insert", List.of(Map.of("id", "a", "v", 1),
            Map.of("id", "b", "v", 2), Map.of("id", "c", "v", 3))));
        assertTrue(r.path("ok").asBoolean(), r.toString());
        r = c.put(path, Map.of("remove", List.of("c")));
        assertTrue(r.path("ok").asBoolean(), r.toString());
        rooms.put(name, "sharedstate:" + path);
      }
    }
    return rooms;
  }

  @Test
  void servicesOnOneDatabaseWithTheirOwnDbTableKeepToTheirOwnTables() throws Exception {
    Prerequisite.listening(5432, "PostgreSQL");
    String pg = """
        {"db_type": "postgresql", "db_name": "test", "db_table": "%s", "db_host": "127.0.0.1",
         "db_user": "postgres", "db_password": ""}""";
    Map<String, String> rooms = writeThroughServices(Map.of("one", pg.formatted("ss_one"),
        "two", pg.formatted("ss_two")));
    String url = "jdbc:postgresql://127.0.0.1:5432/test";
    assertEquals(List.of("a", "b"), liveKeys(url, "postgres", "", "ss_one_", rooms.get("one")));
    assertEquals(List.of("a", "b"), liveKeys(url, "postgres", "", "ss_two_", rooms.get("two")));
    assertEquals(0, opCount(url, "postgres", "", "ss_one_", rooms.get("two")));
    assertEquals(0, opCount(url, "postgres", "", "ss_two_", rooms.get("one")));
  }

  @Test
  void servicesOnOneSqliteFileShareOneStoreAndKeepTheirCollectionsApart() throws Exception {
    String file = "{\"db_type\": \"sqlite\", \"db_name\": \"both.db\", \"db_table\": \"items\"}";
    Map<String, String> rooms = writeThroughServices(Map.of("one", file, "two", file));
    String url = "jdbc:sqlite:" + dir.resolve("both.db");
    assertEquals(2, opCount(url, "", "", "", rooms.get("one")));
    assertEquals(2, opCount(url, "", "", "", rooms.get("two")));
    assertNotInServersOwnStore(rooms.get("one"));
    assertNotInServersOwnStore(rooms.get("two"));
  }

  private String ownStore() {
    return "jdbc:sqlite:" + dir.resolve("livestate.db");
  }

  private void assertNotInServersOwnStore(String room) throws Exception {
    assertTrue(Files.exists(dir.resolve("livestate.db")), "the server's own store was opened");
    try (Connection c = DriverManager.getConnection(ownStore())) {
      for (String table : List.of("rooms", "ops", "entries")) {
        String column = table.equals("rooms") ? "name" : "room";
        assertEquals(0, count(c, "SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?",
            room), room + " has rows in the server's own " + table);
      }
    }
  }

  /** The keys the service's store holds a value for (deleted keys are tombstones). */
  private static List<String> liveKeys(String url, String user, String password, String prefix,
      String room) throws Exception {
    List<String> keys = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, user, password);
        PreparedStatement st = c.prepareStatement("SELECT key_name FROM " + prefix
            + "entries WHERE room = ? AND value IS NOT NULL ORDER BY key_name")) {
      st.setString(1, room);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1));
        }
      }
    }
    return keys;
  }

  private static long opCount(String url, String user, String password, String prefix,
      String room) throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      return count(c, "SELECT COUNT(*) FROM " + prefix + "ops WHERE room = ?", room);
    }
  }

  private static long count(Connection c, String sql, String room) throws Exception {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, room);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
