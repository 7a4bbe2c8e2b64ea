package dev.livestate.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.database.TestDatabase;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --store <JDBC URL>} makes a database server the server's own store: what a client
 * wrote is in its tables, and a restarted server (with an empty data directory) serves it.
 */
class JdbcServerStoreTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode request(WebSocketClient ws, Map<String, Object> body) {
    ws.send(body);
    return ws.await(n -> n.path("id").equals(JSON.valueToTree(body.get("id"))));
  }

  void writeRestartAndFindItInTheDatabase(TestDatabase db) throws Exception {
    Map<String, String> settings = Map.of("store", db.url, "store.user", db.user);
    String epoch;
    try (TestServer server = TestServer.start(settings);
        WebSocketClient ws = WebSocketClient.connect(server.ws("/ws"))) {
      request(ws, Map.of("type", "hello", "id", 0, "clientId", "writer"));
      epoch = request(ws, Map.of("type", "join", "id", 1, "room", "kept", "create", true))
          .get("epoch").asText();
      JsonNode result = request(ws, Map.of("type", "submit", "id", 2, "room", "kept", "changes",
          List.of(Map.of("localSeq", 1, "baseSeq", 0, "set", Map.of("title", "Hello")))));
      assertEquals(1, result.at("/acks/0/seq").asLong(), result.toString());
      request(ws, Map.of("type", "publish", "id", 3, "room", "kept", "body", "logged", "time", 5));
    }

    try (Connection c = db.connect()) {
      assertEquals(List.of("1|writer|put2|{\"set\":{\"title\":\"Hello\"}}"),
          rows(c, "SELECT seq, writer, kind, body FROM livestate_ops WHERE room = ?"));
      assertEquals(List.of(epoch + "|1"), rows(c, "SELECT epoch, head FROM livestate_rooms WHERE name = ?"));
      assertEquals(List.of("5|\"logged\""), rows(c, "SELECT time, body FROM livestate_stream WHERE room = ?"));
    }

    // a fresh data directory: nothing can come from a local SQLite file
    Map<String, String> again = Map.of("store", db.url, "store.user", db.user,
        "data-dir", Files.createTempDirectory("livestate-jdbc-again").toString());
    try (TestServer server = TestServer.start(again);
        WebSocketClient ws = WebSocketClient.connect(server.ws("/ws"))) {
      JsonNode joined = request(ws, Map.of("type", "join", "id", 1, "room", "kept"));
      assertEquals(epoch, joined.get("epoch").asText(), joined.toString());
      assertEquals(1, joined.get("seq").asLong());
      assertEquals("Hello", joined.at("/snapshot/title").asText());
      JsonNode history = request(ws, Map.of("type", "history", "id", 2, "room", "kept"));
      assertEquals("logged", history.at("/messages/0/body").asText());
      assertTrue(Files.notExists(Path.of(again.get("data-dir")).resolve("livestate.db")),
          "no SQLite store was opened");
    }
  }

  static List<String> rows(Connection c, String sql) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, "kept");
      try (ResultSet r = s.executeQuery()) {
        List<String> rows = new ArrayList<>();
        int n = r.getMetaData().getColumnCount();
        while (r.next()) {
          StringBuilder b = new StringBuilder();
          for (int i = 1; i <= n; i++) {
            b.append(i > 1 ? "|" : "").append(r.getString(i));
          }
          rows.add(b.toString());
        }
        return rows;
      }
    }
  }

  @Test
  void aPostgresqlStoreHoldsTheRoomsAcrossARestart() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      writeRestartAndFindItInTheDatabase(db);
    }
  }

  @Test
  void aMariadbStoreHoldsTheRoomsAcrossARestart() throws Exception {
    try (TestDatabase db = TestDatabase.mariadb()) {
      writeRestartAndFindItInTheDatabase(db);
    }
  }
}
