package dev.livestate.server.adapter.uisync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The UI sync surface in the real server, at the Engine.IO wire level (the npm socket.io-client
 * tests are in e2e/test/uisync*.test.mjs): polling handshake and WebSocket through Vert.x.
 */
class UiSyncSurfaceTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("store", "memory"));

  @Test
  void rootAnswersOnlineForHealthChecks() throws Exception {
    HttpResponse<String> r = server.get("/");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("online"));
  }

  @Test
  void pollingHandshakeConnectAndConfirmConnect() throws Exception {
    HttpResponse<String> open = server.get("/socket.io/?EIO=4&transport=polling");
    assertEquals(200, open.statusCode());
    assertTrue(open.body().startsWith("0{"), open.body());
    assertTrue(open.body().contains("\"pingInterval\": 25000"), open.body());
    assertTrue(open.body().contains("\"pingTimeout\": 20000"), open.body());
    String sid = open.body().replaceAll(".*\"sid\": \"([^\"]+)\".*", "$1");
    String q = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    HttpResponse<String> post = server.post(q, "40");
    assertEquals("ok", post.body());
    HttpResponse<String> poll = server.get(q);
    assertTrue(poll.body().startsWith("40{\"sid\":"), poll.body());
    assertTrue(poll.body().contains("42[\"confirm_connect\",{\"leaders\":{}}]"), poll.body());
  }

  @Test
  void websocketOnlyClientPingsAndIsToldOfErrors() throws Exception {
    try (WebSocketClient ws = WebSocketClient.connect(
        server.ws("/socket.io/?EIO=4&transport=websocket"))) {
      assertTrue(next(ws).startsWith("0{"));
      ws.send("40");
      assertTrue(next(ws).startsWith("40{"));
      assertEquals("42[\"confirm_connect\",{\"leaders\":{}}]", next(ws));
      ws.send("42[\"my_ping\"]");
      assertEquals("42[\"my_pong\"]", next(ws));
      ws.send("42[\"ui_change\",{\"site\":\"mrc\",\"mutation_name\":\"k\",\"new_val\":1}]");
      String error = next(ws);
      assertTrue(error.startsWith("42[\"error\",{\"event\":\"ui_change\",\"site\":\"mrc\",\"reason\":\"not_leader\""),
          error);
    }
  }

  @Test
  void followersGetAChangedValueWithTheKeyOrderAndNumbersTheLeaderSent() throws Exception {
    try (EngineIoClient leader = EngineIoClient.connect(server.port());
        EngineIoClient follower = EngineIoClient.connect(server.port())) {
      leader.send("42[\"new_leader\",\"{\\\"site\\\":\\\"order\\\",\\\"leader\\\":"
          + "{\\\"name\\\":\\\"Ann\\\"}}\"]");
      leader.next(f -> f.startsWith("42[\"confirm_leader_start\""));
      follower.send("42[\"join_room\",{\"site\":\"order\"}]");
      follower.next(f -> f.startsWith("42[\"full_state_snapshot\""));
      String value = "{\"zeta\":1.50,\"alpha\":[1.0,{\"y\":0,\"b\":null}],\"mid\":-2}";
      leader.send("42[\"ui_change\",{\"site\":\"order\",\"mutation_name\":\"k\",\"new_val\":"
          + value + "}]");
      assertEquals("42[\"new_state\",{\"key\":\"k\",\"new_val\":" + value + "}]",
          follower.next(f -> f.startsWith("42[\"new_state\"")));
    }
  }

  @Test
  void aClientThatLeftTheMainNamespaceIsNotAnsweredUntilItJoinsAgain() throws Exception {
    try (WebSocketClient ws = WebSocketClient.connect(
        server.ws("/socket.io/?EIO=4&transport=websocket"))) {
      next(ws);
      ws.send("40");
      ws.nextText(f -> f.startsWith("42[\"confirm_connect\""));
      ws.send("41").send("42[\"my_ping\"]").send("40");
      ws.nextText(f -> f.startsWith("42[\"confirm_connect\""));
      ws.send("42[\"my_ping\"]");
      ws.nextText(f -> f.equals("42[\"my_pong\"]"));
      assertEquals(1, ws.texts().stream().filter(f -> f.equals("42[\"my_pong\"]")).count(),
          "the ping sent between leaving and joining again went unanswered: " + ws.texts());
    }
  }

  /** The next frame, whatever it is. */
  private static String next(WebSocketClient ws) {
    return ws.nextText(frame -> true);
  }
}
