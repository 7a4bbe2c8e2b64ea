package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.database.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A room whose store refuses a write stops with room_failed, tells its subscribers, leaves every
 * connection and every other room working, and comes back from the store after a restart. The
 * failure is real: the server's store is a PostgreSQL database, and a trigger there aborts that
 * room's inserts as a full disk or a broken database would. (The SQLite file cannot be reached
 * while the server runs: its store holds the write lock.)
 */
class NativeStoreFailureTest {
  static JsonNode roomFailed(NativeClient c) {
    return c.ws.await(n -> n.path("code").asText().equals("room_failed") && !n.has("id"));
  }

  @Test
  void aRoomWhoseStoreFailsAnswersRoomFailedUntilTheServerRestarts() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Map<String, String> settings = Map.of("store", db.url, "store.user", db.user);
      try (TestServer server = TestServer.start(settings);
          NativeClient writer = NativeClient.connect(server.ws("/ws"), "writer");
          NativeClient bystander = NativeClient.connect(server.ws("/ws"), "bystander")) {
        writer.join("doomed", Map.of("create", true));
        writer.join("healthy", Map.of("create", true));
        bystander.join("doomed", Map.of("role", "reader"));
        assertEquals(1, writer.set("doomed", "k", "committed").get("acks").size());

        db.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql"
            + " AS $$ BEGIN RAISE EXCEPTION 'the disk refuses'; END $$");
        db.execute("CREATE TRIGGER refuse_doomed BEFORE INSERT ON livestate_ops FOR EACH ROW"
            + " WHEN (NEW.room = 'doomed') EXECUTE FUNCTION refuse()");
        JsonNode failed = writer.set("doomed", "k", "lost");
        assertEquals("error", failed.get("type").asText(), failed.toString());
        assertEquals("room_failed", failed.get("code").asText());
        assertEquals("doomed", failed.get("room").asText());
        assertFalse(failed.get("message").asText().isEmpty());

        for (NativeClient subscriber : new NativeClient[] {writer, bystander}) {
          assertEquals("doomed", roomFailed(subscriber).get("room").asText(),
              subscriber.clientId + " is told the room stopped");
        }
        try (NativeClient late = NativeClient.connect(server.ws("/ws"), "late")) {
          assertEquals("room_failed", late.join("doomed", Map.of()).get("code").asText());
        }
        assertEquals("pong", bystander.request(Map.of("type", "ping")).get("type").asText(),
            "the connection stays open");
        assertEquals(1, writer.set("healthy", "k", "fine").get("acks").size(), "other rooms work");
      }

      db.execute("DROP TRIGGER refuse_doomed ON livestate_ops");
      try (TestServer restarted = TestServer.start(settings);
          NativeClient c = NativeClient.connect(restarted.ws("/ws"), "c")) {
        JsonNode joined = c.join("doomed", Map.of());
        assertEquals("joined", joined.get("type").asText(), joined.toString());
        assertEquals(1, joined.get("seq").asLong(), "the refused write never happened");
        assertEquals("committed", joined.at("/snapshot/k").asText());
        assertEquals(2, c.set("doomed", "k", "again").at("/acks/0/seq").asLong());
      }
    }
  }
}
