package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.http.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A presence event with {@code data:null} says a record is gone; a client that never set one has
 * nothing to lose, so its leaving or disconnecting is not announced.
 */
class NativePresenceNeverSetTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static NativeClient client(String id) throws Exception {
    return NativeClient.connect(server.ws("/ws"), id);
  }

  /** Polls the HTTP API until the room has {@code n} subscribers. */
  static void awaitSubscribers(String room, long n) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    for (;;) {
      for (JsonNode r : Http.getJson(server.http("/api/rooms")).get("rooms")) {
        if (r.get("name").asText().equals(room) && r.get("subscribers").asLong() == n) {
          return;
        }
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("room " + room + " never had " + n + " subscribers");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void clientsWithoutPresenceLeaveAndDisconnectWithoutAPresenceEvent() throws Exception {
    String room = "presence-never-set";
    try (NativeClient watcher = client("watcher"); NativeClient marker = client("marker")) {
      watcher.join(room, Map.of("create", true));
      marker.join(room, Map.of());
      NativeClient leaver = client("leaver");
      NativeClient dropper = client("dropper");
      leaver.join(room, Map.of());
      dropper.join(room, Map.of());
      leaver.request(Map.of("type", "leave", "room", room));
      leaver.close();
      dropper.close();
      awaitSubscribers(room, 2);
      // events reach the watcher in order: once the marker's arrives, any about the others had
      marker.request(Map.of("type", "presence", "room", room, "data", "here"));
      watcher.ws.await(n -> n.path("type").asText().equals("presence")
          && n.path("clientId").asText().equals("marker"));
      List<JsonNode> others = watcher.ws.all().stream()
          .filter(n -> n.path("type").asText().equals("presence")).toList();
      assertEquals(List.of(), others, "no presence event for clients that never set one");
    }
  }
}
