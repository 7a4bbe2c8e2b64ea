package dev.livestate.server.access;

import static dev.livestate.server.auth.TestTokens.grant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.room.Role;
import dev.livestate.server.TestServer;
import dev.livestate.server.auth.TestTokens;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Token mode: a token whose grants name every room still reaches no other surface's room; an
 * operator's token reaches them all, through both doors.
 */
class TokenModeDoorTest extends DoorMatrix {
  @RegisterExtension
  static final TestServer server =
      TestServer.perClass(TestTokens.tokenMode("meet.scrypt-log2n", "10"));

  private static final String WIDE = TestTokens.token("wide", grant("*", Role.LEADER, 99));

  static WebSocketClient hello(TestServer s, String token) throws Exception {
    WebSocketClient ws = s.socket("/ws");
    ws.send(Map.of("type", "hello", "id", 1, "token", token));
    assertEquals("welcome", ws.await(n -> n.path("id").asInt() == 1).get("type").asText());
    return ws;
  }

  @Override
  WebSocketClient nativeClient(TestServer s) throws Exception {
    return hello(s, WIDE);
  }

  @Override
  String[] httpHeaders() {
    return TestTokens.bearer(WIDE);
  }

  @Override
  String subscriptionToken(String room) {
    return TestTokens.token("wide", grant(room, Role.LEADER, 99));
  }

  @Test
  void aTokenGrantingEveryRoomByNameReachesNoOtherSurfacesRoom() throws Exception {
    noDoorReachesAnotherSurfacesRooms(server);
  }

  @Test
  void anOperatorReachesEverySurfacesRoomThroughBothDoors() throws Exception {
    String admin = TestTokens.admin("operator");
    try (SurfaceRooms surfaces = new SurfaceRooms(server);
        WebSocketClient ws = hello(server, admin)) {
      String listed = server.send("GET", "/api/rooms", TestTokens.bearer(admin)).body();
      int id = 0;
      for (String room : surfaces.rooms()) {
        assertTrue(listed.contains(room), room + " not listed for an operator: " + listed);
        assertEquals(200, server.send("GET", path(room), TestTokens.bearer(admin)).statusCode());
        int join = ++id;
        ws.send(Map.of("type", "join", "id", join, "room", room));
        assertEquals("joined", ws.await(n -> n.path("id").asInt() == join).get("type").asText(),
            room);
        int history = ++id;
        ws.send(Map.of("type", "history", "id", history, "room", room));
        assertEquals("history", ws.await(n -> n.path("id").asInt() == history).get("type")
            .asText(), room);
      }

      int from = surfaces.meetListener().count();
      ws.send(Map.of("type", "submit", "id", ++id, "room", surfaces.meetRoom(), "changes",
          List.of(Map.of("localSeq", 1, "baseSeq", 0, "set", Map.of("by-operator", 1)))));
      JsonNode relay = surfaces.meetListener().awaitFrom(from,
          m -> "UPDATE_RELAY".equals(m.path("msgType").asText()));
      assertTrue(relay.toString().contains("by-operator"), relay.toString());

      String synk = path("synk:" + SurfaceRooms.CHANNEL);
      assertEquals(200, server.send("DELETE", synk, TestTokens.bearer(admin)).statusCode());
      assertEquals(404, server.send("GET", synk, TestTokens.bearer(admin)).statusCode());
    }
  }
}
