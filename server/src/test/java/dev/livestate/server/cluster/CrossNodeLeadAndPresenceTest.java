package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.ChildServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leadership and presence on any node (decision 024), real server processes on Redis and
 * PostgreSQL, native WebSocket clients: room "led" is owned by a; a client of b leads it and is
 * present in it; a reader of c sees both, and sees them go when b is killed.
 */
class CrossNodeLeadAndPresenceTest {
  private TestCluster cluster;

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private static JsonNode join(WebSocketClient ws, int id) {
    ws.send(Map.of("type", "join", "id", id, "room", "led", "create", true));
    JsonNode joined = ws.await(m -> m.path("id").asInt() == id);
    assertEquals("joined", joined.path("type").asText(), joined.toString());
    return joined;
  }

  /** The next event of {@code type} {@code ws} gets. */
  private static JsonNode event(WebSocketClient ws, String type) {
    return ws.await(m -> type.equals(m.path("type").asText()) && m.path("id").isMissingNode());
  }

  @Test
  void aLeaderAndAPresenceThroughBAreSeenByAReaderOnC() throws Exception {
    cluster = new TestCluster("5s");
    ChildServer a = cluster.node("a");
    ChildServer b = cluster.node("b");
    ChildServer c = cluster.node("c");
    try (WebSocketClient owner = TestCluster.client(a, "owner");
        WebSocketClient lead = TestCluster.client(b, "lead");
        WebSocketClient reader = TestCluster.client(c, "reader")) {
      TestCluster.joinWhenServed(a, owner, "led", 1);
      join(lead, 1);
      join(reader, 1);
      assertTrue(!TestCluster.owns(b, "led") && !TestCluster.owns(c, "led"));

      lead.send(Map.of("type", "lead", "id", 2, "room", "led"));
      JsonNode granted = lead.await(m -> m.path("id").asInt() == 2);
      assertEquals("lead", granted.path("type").asText(), granted.toString());
      assertTrue(granted.path("granted").asBoolean(), granted.toString());
      assertEquals("lead", event(reader, "leader").path("leader").asText());
      assertEquals("lead", event(owner, "leader").path("leader").asText());

      lead.send(Map.of("type", "presence", "id", 3, "room", "led",
          "data", Map.of("cursor", List.of(1, 2))));
      JsonNode present = event(reader, "presence");
      assertEquals("lead", present.path("clientId").asText());
      assertEquals(List.of(1, 2), List.of(present.at("/data/cursor/0").asInt(),
          present.at("/data/cursor/1").asInt()), present.toString());

      try (WebSocketClient late = TestCluster.client(c, "late")) {
        JsonNode joined = join(late, 1);
        assertEquals("lead", joined.path("leader").asText(), joined.toString());
        assertEquals(2, joined.at("/presence/lead/cursor/1").asInt(), joined.toString());
      }

      // the leader's changes go through b to a, and reach the reader on c
      lead.send(Map.of("type", "submit", "id", 4, "room", "led", "changes", List.of(Map.of(
          "localSeq", 1, "baseSeq", 0, "set", Map.of("k", "from the leader")))));
      assertEquals(1, lead.awaitType("result").path("acks").size());
      assertEquals("from the leader", event(reader, "ops").at("/ops/0/set/k").asText());
    }
  }

  @Test
  void whenTheNodeOfALeaderAndAPresenceIsKilledTheOwnerDropsThem() throws Exception {
    cluster = new TestCluster("3s");
    ChildServer a = cluster.node("a");
    ChildServer b = cluster.node("b");
    ChildServer c = cluster.node("c");
    try (WebSocketClient owner = TestCluster.client(a, "owner");
        WebSocketClient lead = TestCluster.client(b, "lead");
        WebSocketClient reader = TestCluster.client(c, "reader")) {
      TestCluster.joinWhenServed(a, owner, "led", 1);
      join(lead, 1);
      join(reader, 1);
      lead.send(Map.of("type", "lead", "id", 2, "room", "led"));
      assertTrue(lead.await(m -> m.path("id").asInt() == 2).path("granted").asBoolean());
      lead.send(Map.of("type", "presence", "id", 3, "room", "led", "data", "here"));
      assertEquals("lead", event(reader, "leader").path("leader").asText());
      assertEquals("here", event(reader, "presence").path("data").asText());

      long killed = System.nanoTime();
      b.kill();
      JsonNode gone = event(reader, "leader");
      long tookMillis = (System.nanoTime() - killed) / 1_000_000;
      assertTrue(gone.path("leader").isNull(), gone.toString());
      assertEquals("lead", gone.path("previous").asText());
      JsonNode left = event(reader, "presence");
      assertEquals("lead", left.path("clientId").asText());
      assertTrue(left.path("data").isNull(), left.toString());
      // b's heartbeat lasts a lease; a looks at the live nodes every third of a lease
      assertTrue(tookMillis < 3_000 + 1_000 + 1_500, "dropped after " + tookMillis + " ms");

      try (WebSocketClient late = TestCluster.client(c, "late")) {
        JsonNode joined = join(late, 1);
        assertTrue(joined.path("leader").isNull(), joined.toString());
        assertEquals(0, joined.path("presence").size(), joined.toString());
      }
    }
  }
}
