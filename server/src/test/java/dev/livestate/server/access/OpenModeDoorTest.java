package dev.livestate.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Open mode (no key): anyone uses native rooms, and no one reaches another surface's rooms. */
class OpenModeDoorTest extends DoorMatrix {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("meet.scrypt-log2n", "10"));

  @Override
  WebSocketClient nativeClient(TestServer s) throws Exception {
    WebSocketClient ws = s.socket("/ws");
    ws.send(Map.of("type", "hello", "id", 1, "clientId", "stranger"));
    assertEquals("welcome", ws.await(n -> n.path("id").asInt() == 1).get("type").asText());
    return ws;
  }

  @Override
  String[] httpHeaders() {
    return new String[0];
  }

  @Override
  String subscriptionToken(String room) {
    return null;
  }

  @Test
  void anAnonymousClientReachesNoOtherSurfacesRoomThroughAnyDoor() throws Exception {
    noDoorReachesAnotherSurfacesRooms(server);
  }
}
