package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that vanish (TCP closed, no close frame) while a room broadcasts to them must cost
 * nobody else anything: every other connection keeps getting its replies and relays.
 */
class NativeDisconnectDuringBroadcastTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void subscribersVanishingMidBroadcastLeaveTheOthersServed() throws Exception {
    String room = "vanishing";
    try (NativeClient writer = NativeClient.connect(server.ws("/ws"), "writer");
        NativeClient watcher = NativeClient.connect(server.ws("/ws"), "watcher")) {
      writer.join(room, Map.of("create", Map.of("durable", false)));
      watcher.join(room, Map.of("role", "reader"));
      for (int round = 0; round < 30; round++) {
        List<WebSocketClient> vanishing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          WebSocketClient c = WebSocketClient.connect(server.ws("/ws"));
          c.send(Map.of("type", "join", "id", 1, "room", room, "role", "reader"));
          c.await(n -> n.path("id").asLong() == 1);
          vanishing.add(c);
        }
        // a burst the room is still fanning out to them as they go
        for (int i = 0; i < 20; i++) {
          writer.post(Map.of("type", "submit", "room", room, "changes", List.of(
              writer.change(Map.of("k", round * 100 + i)))));
        }
        vanishing.forEach(WebSocketClient::close);
        String marker = "round-" + round;
        writer.set(room, "marker", marker);
        watcher.ws.await(n -> n.path("type").asText().equals("ops")
            && n.get("ops").findValuesAsText("marker").contains(marker));
      }
      assertEquals("pong", writer.request(Map.of("type", "ping")).get("type").asText());
    }
  }
}
