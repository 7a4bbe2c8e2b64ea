package dev.livestate.server.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's list of connected clients, as {@code /console/api/overview} gives it to the page:
 * real clients of four surfaces, each under its surface with its address, the native one with
 * its client id and the room it joined; gone once they close.
 */
class ConsoleClientsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode overview(TestServer server) throws Exception {
    HttpResponse<String> r = server.get("/console/api/overview");
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  /** The listed clients by surface. */
  private static Map<String, List<JsonNode>> bySurface(JsonNode overview) {
    Map<String, List<JsonNode>> by = new HashMap<>();
    overview.get("clients").forEach(
        c -> by.computeIfAbsent(c.get("surface").asText(), s -> new ArrayList<>()).add(c));
    return by;
  }

  @Test
  void everySurfacesClientsAreListedWithAddressIdAndRoomsUntilTheyLeave() throws Exception {
    try (TestServer server = TestServer.start()) {
      List<WebSocketClient> open = new ArrayList<>();
      try {
        WebSocketClient nativeClient = server.socket("/ws");
        open.add(nativeClient);
        nativeClient.send(Map.of("type", "hello", "id", 0, "clientId", "listed-one",
            "resume", "resume secret of listed-one"));
        nativeClient.awaitType("welcome");
        nativeClient.send(Map.of("type", "join", "id", 1, "room", "listed-room", "create", true));
        nativeClient.awaitType("joined");
        for (String path : List.of("/sharedstate", "/meet", "/logs/ws?site=tst")) {
          open.add(server.socket(path));
        }

        Await.until("four clients listed", () -> overview(server).get("clientCount").asInt() == 4);
        JsonNode now = overview(server);
        Map<String, List<JsonNode>> by = bySurface(now);
        assertEquals(List.of("meet", "native", "shared-state", "user-status"),
            by.keySet().stream().sorted().toList(), now.toString());
        for (List<JsonNode> clients : by.values()) {
          assertEquals(1, clients.size(), now.toString());
          assertEquals("127.0.0.1", clients.get(0).get("address").asText(), now.toString());
        }
        JsonNode listed = by.get("native").get(0);
        assertEquals("listed-one", listed.get("clientId").asText(), listed.toString());
        assertEquals("listed-room", listed.at("/rooms/0").asText(), listed.toString());
        assertEquals(1, by.get("user-status").get(0).get("rooms").size(),
            "a status socket follows its site's room");
        assertTrue(by.get("user-status").get(0).hasNonNull("clientId"), now.toString());
      } finally {
        open.forEach(WebSocketClient::close);
      }
      Await.until("none listed once closed", () -> overview(server).get("clientCount").asInt() == 0);
    }
  }
}
