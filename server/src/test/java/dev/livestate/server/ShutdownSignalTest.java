package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.testkit.websocket.WebSocketClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, as a service manager stops the server: every WebSocket surface tells its clients,
 * each in a room, that the server is going away (1001, so they reconnect elsewhere or later),
 * and the process exits 0.
 */
class ShutdownSignalTest {
  @TempDir
  Path data;

  @Test
  void sigtermClosesEveryWebSocketSurfaceWithGoingAwayAndExitsZero() throws Exception {
    try (ChildServer server = ChildServer.start(data)) {
      String base = "ws://127.0.0.1:" + server.port();
      WebSocketClient nativeClient = WebSocketClient.connect(base + "/ws");
      nativeClient.send(Map.of("type", "hello", "id", 1, "clientId", "leaving"));
      nativeClient.await(m -> m.path("id").asInt() == 1);
      nativeClient.send(Map.of("type", "join", "id", 2, "room", "closing", "create", Map.of()));
      nativeClient.await(m -> m.path("id").asInt() == 2);
      WebSocketClient uiSync = WebSocketClient.connect(base
          + "/socket.io/?EIO=4&transport=websocket");
      uiSync.nextText(f -> f.startsWith("0{"));
      uiSync.send("40");
      uiSync.nextText(f -> f.startsWith("42[\"confirm_connect\""));
      uiSync.send("42[\"join_room\",{\"site\":\"closing\"}]");
      uiSync.nextText(f -> f.startsWith("42[\"confirm_follower_start\""));
      WebSocketClient sharedState = WebSocketClient.connect(base + "/sharedstate");
      sharedState.send(Map.of("type", "REQUEST", "cmd", "PUT", "path", "/subs", "tunnel", 1,
          "arg", Map.of("insert", List.of(List.of("/app/items/closing", Map.of())))));
      sharedState.await(m -> m.path("tunnel").asInt() == 1);

      int exit = server.terminate(30);
      assertEquals(1001, nativeClient.awaitClose(5_000), "native close code");
      assertEquals(1001, uiSync.awaitClose(5_000), "UI sync close code");
      assertEquals(1001, sharedState.awaitClose(5_000), "shared state close code");
      assertEquals(0, exit, "exit code after SIGTERM");
    }
  }
}
