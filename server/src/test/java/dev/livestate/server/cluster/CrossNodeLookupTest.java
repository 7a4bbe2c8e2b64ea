package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.ChildServer;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rooms looked up on a node that did not make them (decision 028), real server processes on
 * Redis and PostgreSQL: a room made on one node after another started is found there by a
 * native join without create and by the HTTP API, and a Supersynk channel is swept only by its
 * owner, so a node that merely knows it does not delete it.
 */
class CrossNodeLookupTest extends TwoNodeTest {
  private static String room(ChildServer node, String room) {
    return "http://127.0.0.1:" + node.port() + "/api/rooms/" + room;
  }

  /** Joins {@code room} without create; the answer (joined, or an error). */
  private static JsonNode joinWithoutCreate(WebSocketClient ws, String room, int id) {
    ws.send(Map.of("type", "join", "id", id, "room", room));
    return ws.await(m -> m.path("id").asInt() == id);
  }

  @Test
  void aRoomMadeOnOneNodeAfterAnotherStartedIsJoinedThereWithoutCreate() throws Exception {
    try (WebSocketClient maker = TestCluster.client(a, "maker");
        WebSocketClient reader = TestCluster.client(b, "reader")) {
      TestCluster.joinWhenServed(a, maker, "made-on-a", 1);
      TestCluster.write(maker, "made-on-a", 1, 0, 3, "v");

      JsonNode joined = joinWithoutCreate(reader, "made-on-a", 1);

      assertEquals("joined", joined.path("type").asText(), joined.toString());
      assertEquals(3, joined.path("seq").asLong(), joined.toString());
      HttpResponse<String> read = Http.get(room(b, "made-on-a"));
      assertEquals(200, read.statusCode(), read.body());
      assertEquals(404, Http.get(room(b, "made-nowhere")).statusCode());
    }
  }

  @Test
  void aChannelWithAClientOnItsOwnerIsNotSweptByTheOtherNode() throws Exception {
    String channel = "http://127.0.0.1:%d/api/channels/kept";
    HttpResponse<String> posted = Http.post(channel.formatted(a.port()),
        "{\"client_id\":\"ada\",\"position\":1}", "Content-Type", "application/json");
    assertEquals(200, posted.statusCode(), posted.body());
    assertTrue(TestCluster.owns(a, "synk:kept"));
    assertEquals(200, Http.get(channel.formatted(b.port())).statusCode()); // b knows it now

    Thread.sleep(3_500); // three sweeps on each node

    HttpResponse<String> read = Http.get(channel.formatted(b.port()));
    assertTrue(read.body().contains("\"ada\""), read.body());
    assertTrue(TestCluster.owns(a, "synk:kept"), "still a's, never deleted and claimed again");
  }
}
