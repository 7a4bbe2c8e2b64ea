package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.database.TestDatabase;
import dev.livestate.testkit.http.Http;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A store that refuses writes for a while: every write meanwhile is answered room_failed and
 * none is acked, /healthz says the store is failing, and once the database takes writes again
 * the rooms do too, without a restart, each going on from what its store holds. The failure is
 * real: the server's store is a PostgreSQL database whose tables get a trigger refusing every
 * write, as a full disk or a broken database would. (The SQLite file cannot be reached while the
 * server runs: its store holds the write lock; StoreOnFullDiskTest fills a real disk instead.)
 */
class NativeStoreFailureTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode roomFailed(NativeClient c) {
    return c.ws.await(n -> n.path("code").asText().equals("room_failed") && !n.has("id"));
  }

  /** Every table of the store refuses every write, even one that would touch no row. */
  static void refuseWrites(TestDatabase db) throws SQLException {
    db.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql"
        + " AS $$ BEGIN RAISE EXCEPTION 'the disk refuses'; END $$");
    db.execute("DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables"
        + " WHERE schemaname = current_schema() LOOP EXECUTE format('CREATE TRIGGER refuse"
        + " BEFORE INSERT OR UPDATE OR DELETE ON %I FOR EACH STATEMENT EXECUTE FUNCTION refuse()',"
        + " t); END LOOP; END $$");
  }

  static void acceptWrites(TestDatabase db) throws SQLException {
    db.execute("DROP FUNCTION refuse() CASCADE");
  }

  static JsonNode health(TestServer server) throws Exception {
    HttpResponse<String> r = server.get("/healthz");
    JsonNode body = JSON.readTree(r.body());
    assertEquals(body.get("status").asText().equals("ok") ? 200 : 503, r.statusCode(), r.body());
    return body;
  }

  static HttpResponse<String> put(TestServer server, String path) throws Exception {
    return Http.send(HttpRequest.newBuilder(URI.create(server.http(path)))
        .PUT(HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void writesWhileTheStoreRefusesThemAreRefusedAndTheRoomsWorkAgainWithoutARestart()
      throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Map<String, String> settings = Map.of("store", db.url, "store.user", db.user);
      try (TestServer server = TestServer.start(settings);
          NativeClient writer = NativeClient.connect(server.ws("/ws"), "writer");
          NativeClient bystander = NativeClient.connect(server.ws("/ws"), "bystander");
          NativeClient late = NativeClient.connect(server.ws("/ws"), "late")) {
        writer.join("doomed", Map.of("create", true));
        bystander.join("doomed", Map.of("role", "reader"));
        assertEquals(1, writer.set("doomed", "k", "committed").get("acks").size());
        assertEquals("ok", health(server).get("status").asText());
        assertFalse(health(server).has("store"), "the happy answer is as it was");

        refuseWrites(db);
        JsonNode failed = writer.set("doomed", "k", "lost");
        assertEquals("room_failed", failed.path("code").asText(), failed.toString());
        assertEquals("doomed", failed.get("room").asText());
        for (NativeClient subscriber : new NativeClient[] {writer, bystander}) {
          assertEquals("doomed", roomFailed(subscriber).get("room").asText(),
              subscriber.clientId + " is told the room stopped");
        }
        JsonNode degraded = health(server);
        assertEquals("degraded", degraded.get("status").asText(), degraded.toString());
        assertEquals("failing", degraded.get("store").asText());
        assertEquals("room_failed", writer.join("doomed", Map.of()).path("code").asText(),
            "refused while the store fails");
        assertEquals("room_failed", late.join("born", Map.of("create", true)).path("code")
            .asText(), "a room whose creation is not committed is not joined");
        assertEquals(503, put(server, "/api/rooms/made").statusCode(), "nor answered created");
        assertEquals("pong", bystander.request(Map.of("type", "ping")).get("type").asText(),
            "the connections stay open");

        acceptWrites(db);
        Await.until("the store to work again", () -> health(server).get("status").asText()
            .equals("ok"));
        JsonNode rejoined = writer.join("doomed", Map.of());
        assertEquals("joined", rejoined.get("type").asText(), rejoined.toString());
        assertEquals(1, rejoined.get("seq").asLong(), "the refused write never happened");
        assertEquals("committed", rejoined.at("/snapshot/k").asText());
        assertEquals(2, writer.set("doomed", "k", "again").at("/acks/0/seq").asLong());
        assertEquals("again", bystander.join("doomed", Map.of("role", "reader"))
            .at("/snapshot/k").asText());
        assertEquals("joined", late.join("born", Map.of("create", true)).get("type").asText());
        assertEquals(201, put(server, "/api/rooms/made").statusCode());
      }

      try (TestServer restarted = TestServer.start(settings);
          NativeClient c = NativeClient.connect(restarted.ws("/ws"), "c")) {
        JsonNode joined = c.join("doomed", Map.of());
        assertEquals(2, joined.get("seq").asLong(), "every ack is there, and nothing else");
        assertEquals("again", joined.at("/snapshot/k").asText());
        assertEquals("joined", c.join("born", Map.of()).get("type").asText());
        assertEquals("joined", c.join("made", Map.of()).get("type").asText());
      }
    }
  }
}
