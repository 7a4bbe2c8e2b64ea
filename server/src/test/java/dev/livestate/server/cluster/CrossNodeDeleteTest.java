package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.ChildServer;
import dev.livestate.server.auth.TestTokens;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A delete asked of a node that does not own the room (decision 028), real server processes on
 * Redis and PostgreSQL in token mode (a delete needs an operator's grant): the owner decides
 * it, and every node drops the room and tells its readers it was deleted.
 */
class CrossNodeDeleteTest {
  private static final String[] OPERATOR = TestTokens.bearer(TestTokens.admin("operator"));
  private TestCluster cluster;
  private ChildServer a;
  private ChildServer b;
  private ChildServer c;

  @BeforeEach
  void nodes() throws Exception {
    cluster = new TestCluster("5s");
    a = cluster.node("a", "--auth-hmac-secret", TestTokens.SECRET);
    b = cluster.node("b", "--auth-hmac-secret", TestTokens.SECRET);
    c = cluster.node("c", "--auth-hmac-secret", TestTokens.SECRET);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  /** A native client of {@code node} with an operator's token for {@code subject}. */
  private static WebSocketClient client(ChildServer node, String subject) throws Exception {
    WebSocketClient ws = WebSocketClient.connect(node.ws());
    ws.send(Map.of("type", "hello", "id", 0, "token", TestTokens.admin(subject)));
    ws.awaitType("welcome");
    return ws;
  }

  private static String room(ChildServer node, String room) {
    return "http://127.0.0.1:" + node.port() + "/api/rooms/" + room;
  }

  private static JsonNode join(WebSocketClient ws, String room, boolean create) {
    ws.send(create ? Map.of("type", "join", "id", 1, "room", room, "create", true)
        : Map.of("type", "join", "id", 1, "room", room));
    return ws.await(m -> m.path("id").asInt() == 1);
  }

  @Test
  void aDeleteOnANodeThatDoesNotOwnTheRoomIsGoneEverywhereAndItsReadersAreToldSo()
      throws Exception {
    try (WebSocketClient writer = client(a, "writer");
        WebSocketClient onB = client(b, "reader-b");
        WebSocketClient onC = client(c, "reader-c")) {
      assertEquals("joined", join(writer, "doomed", true).path("type").asText());
      assertTrue(TestCluster.owns(a, "doomed", OPERATOR), "a made the room: it decides it");
      TestCluster.write(writer, "doomed", 1, 0, 5, "v");
      assertEquals("joined", join(onB, "doomed", false).path("type").asText());
      assertEquals("joined", join(onC, "doomed", false).path("type").asText());

      HttpResponse<String> deleted = Http.send("DELETE", room(b, "doomed"), OPERATOR);

      assertEquals(200, deleted.statusCode(), deleted.body());
      for (WebSocketClient reader : List.of(writer, onB, onC)) {
        JsonNode closed = reader.awaitType("error");
        assertEquals("room_failed", closed.path("code").asText(), closed.toString());
        assertTrue(closed.path("message").asText().endsWith("closed: deleted"),
            closed.toString());
      }
      assertFalse(TestCluster.owns(a, "doomed", OPERATOR), "a gave the room up");
      for (ChildServer node : List.of(a, b, c)) {
        HttpResponse<String> read = Http.get(room(node, "doomed"), OPERATOR);
        assertEquals(404, read.statusCode(), "node " + node.port() + ": " + read.body());
      }
      try (WebSocketClient late = client(c, "late")) {
        assertEquals("unknown_room", join(late, "doomed", false).path("code").asText());
      }
    }
  }
}
