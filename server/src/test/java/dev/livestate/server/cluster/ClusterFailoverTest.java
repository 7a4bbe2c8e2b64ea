package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.ChildServer;
import dev.livestate.testkit.database.TestDatabase;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real server processes as nodes of one cluster on Redis and PostgreSQL (decision 015): a room
 * is decided by the node that claimed it; when that node is killed, another takes the room from
 * the store with everything acked; a node paused past its lease commits nothing when it wakes.
 */
class ClusterFailoverTest {
  private static final String LEASE = "3s";

  private TestRedis redis;
  private TestDatabase db;
  private final List<ChildServer> nodes = new ArrayList<>();

  @BeforeEach
  void services() {
    redis = new TestRedis();
    db = TestDatabase.postgres();
  }

  @AfterEach
  void stop() throws Exception {
    for (ChildServer n : nodes) {
      n.kill();
    }
    db.close();
    redis.close();
  }

  private ChildServer node(String name) throws Exception {
    Path data = Files.createTempDirectory("livestate-cluster-" + name);
    ChildServer n = ChildServer.start(data, "--store", db.url, "--store-user", db.user,
        "--cluster-redis", TestRedis.URL, "--cluster-prefix", redis.prefix, "--node-id", name,
        "--cluster-lease", LEASE);
    nodes.add(n);
    return n;
  }

  private static WebSocketClient client(ChildServer node, String clientId) throws Exception {
    WebSocketClient ws = WebSocketClient.connect(node.ws());
    ws.send(Map.of("type", "hello", "id", 0, "clientId", clientId, "resume", clientId + "-resume-secret-of-the-test"));
    ws.awaitType("welcome");
    return ws;
  }

  /** Joins, retrying while another node still holds the room; the joined message. */
  private static JsonNode joinWhenServed(WebSocketClient ws, String room, int id)
      throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      ws.send(Map.of("type", "join", "id", id, "room", room, "create", true));
      JsonNode answer = ws.await(m -> m.path("id").asInt() == id);
      if ("joined".equals(answer.path("type").asText())) {
        return answer;
      }
      assertTrue(answer.toString().contains("is served by node"), answer.toString());
      assertTrue(System.nanoTime() < deadline, "never served: " + answer);
      Thread.sleep(100);
    }
  }

  /** Submits {@code count} changes, key {@code s<seq>} each; returns seq → value, all acked. */
  private static Map<Long, String> write(WebSocketClient ws, String room, long firstLocalSeq,
      long head, int count, String tag) {
    for (int i = 0; i < count; i++) {
      long ls = firstLocalSeq + i;
      ws.send(Map.of("type", "submit", "id", ls, "room", room, "changes", List.of(Map.of(
          "localSeq", ls, "baseSeq", head, "set", Map.of("s" + (head + 1 + i), tag + i)))));
    }
    Map<Long, String> acked = new TreeMap<>();
    while (acked.size() < count) {
      JsonNode result = ws.awaitType("result");
      for (JsonNode ack : result.get("acks")) {
        long i = ack.get("localSeq").asLong() - firstLocalSeq;
        assertEquals(head + 1 + i, ack.get("seq").asLong(), "seqs gap-free, in order: " + result);
        acked.put(ack.get("seq").asLong(), tag + i);
      }
      assertEquals(0, result.path("rejected").size(), result.toString());
    }
    return acked;
  }

  private static void assertHolds(JsonNode joined, Map<Long, String> acked) {
    for (Map.Entry<Long, String> a : acked.entrySet()) {
      assertEquals(a.getValue(), joined.at("/snapshot/s" + a.getKey()).asText(),
          "acked op " + a.getKey() + " in " + joined);
    }
  }

  @Test
  void aRoomIsServedByOneNodeAndAnotherTakesItWithEveryAckedOpWhenTheOwnerIsKilled()
      throws Exception {
    ChildServer a = node("a");
    ChildServer b = node("b");
    Map<Long, String> acked = new TreeMap<>();
    try (WebSocketClient writer = client(a, "writer")) {
      joinWhenServed(writer, "shared", 1);
      acked.putAll(write(writer, "shared", 1, 0, 200, "a"));

      try (WebSocketClient onB = client(b, "reader")) {
        onB.send(Map.of("type", "join", "id", 1, "room", "shared", "create", true));
        JsonNode refused = onB.await(m -> m.path("id").asInt() == 1);
        assertEquals("error", refused.path("type").asText(), refused.toString());
        assertTrue(refused.toString().contains("is served by node a"), refused.toString());
      }
    }
    a.kill();

    try (WebSocketClient writer = client(b, "writer")) {
      JsonNode joined = joinWhenServed(writer, "shared", 2);
      assertEquals(200, joined.get("seq").asLong(), joined.toString());
      assertHolds(joined, acked);
      acked.putAll(write(writer, "shared", 201, 200, 50, "b"));
      // a's last acked change, resent through b, gets its first ack and is not applied again
      writer.send(Map.of("type", "submit", "id", -1, "room", "shared", "changes", List.of(
          Map.of("localSeq", 200, "baseSeq", 0, "set", Map.of("s200", "resent")))));
      JsonNode resent = writer.await(m -> m.path("id").asLong() == -1);
      assertEquals(200, resent.at("/acks/0/seq").asLong(), resent.toString());
    }
    try (WebSocketClient reader = client(b, "reader")) {
      JsonNode joined = joinWhenServed(reader, "shared", 3);
      assertEquals(250, joined.get("seq").asLong());
      assertHolds(joined, acked);
    }
  }

  @Test
  void fiveKillsOfTheOwnerOfABusyRoomLoseNothingAckedAndTheSeqsGoOnWithoutAGap()
      throws Exception {
    ChildServer[] three = {node("a"), node("b"), node("c")};
    String[] names = {"a", "b", "c"};
    Map<Long, String> acked = new TreeMap<>();
    int owner = 0;
    long localSeq = 0;
    for (int round = 1; round <= 5; round++) {
      try (WebSocketClient writer = client(three[owner], "writer")) {
        JsonNode joined = joinWhenServed(writer, "busy", round * 10);
        assertEquals(acked.size(), joined.get("seq").asLong(), "round " + round);
        assertHolds(joined, acked);
        acked.putAll(write(writer, "busy", localSeq + 1, acked.size(), 100, "r" + round + "-"));
        localSeq += 100;
      }
      three[owner].kill();
      int killed = owner;
      owner = (owner + 1) % 3; // the writer goes on through another node
      three[killed] = node(names[killed]);
    }
    try (WebSocketClient reader = client(three[owner], "reader")) {
      JsonNode joined = joinWhenServed(reader, "busy", 99);
      assertEquals(500, joined.get("seq").asLong());
      assertHolds(joined, acked);
    }
  }

  @Test
  void eachNodeNamesItselfInHealthAndAnyNodeListsTheLiveNodesAndTheRoomsEachOwns()
      throws Exception {
    ChildServer a = node("a");
    ChildServer b = node("b");
    try (WebSocketClient onA = client(a, "writer")) {
      joinWhenServed(onA, "owned-by-a", 1);
      assertEquals("a", Http.getJson("http://127.0.0.1:" + a.port() + "/healthz")
          .path("node").asText());
      assertEquals("b", Http.getJson("http://127.0.0.1:" + b.port() + "/healthz")
          .path("node").asText());

      JsonNode cluster = Http.getJson("http://127.0.0.1:" + b.port() + "/api/cluster");
      assertEquals("b", cluster.path("node").asText(), cluster.toString());
      assertEquals(List.of("a", "b"), names(cluster.path("nodes"), "node"), cluster.toString());
      assertTrue(names(cluster.at("/nodes/0/rooms"), null).contains("owned-by-a"),
          cluster.toString());
      assertFalse(names(cluster.at("/nodes/1/rooms"), null).contains("owned-by-a"),
          cluster.toString());
    }
    a.close(); // a graceful stop leaves the cluster at once
    JsonNode after = Http.getJson("http://127.0.0.1:" + b.port() + "/api/cluster");
    assertEquals(List.of("b"), names(after.path("nodes"), "node"), after.toString());
  }

  private static List<String> names(JsonNode array, String field) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(field == null ? n.asText() : n.path(field).asText()));
    return names;
  }

  @Test
  void anOwnerPausedPastItsLeaseCommitsNothingWhenItWakesAndItsClientsAreMoved()
      throws Exception {
    ChildServer a = node("a");
    ChildServer b = node("b");
    WebSocketClient onA = client(a, "sleeper");
    joinWhenServed(onA, "shared", 1);
    Map<Long, String> acked = new TreeMap<>(write(onA, "shared", 1, 0, 20, "a"));

    a.pause();
    Map<Long, String> afterTakeover;
    try (WebSocketClient onB = client(b, "taker")) {
      JsonNode joined = joinWhenServed(onB, "shared", 1);
      assertEquals(20, joined.get("seq").asLong());
      assertHolds(joined, acked);
      afterTakeover = write(onB, "shared", 1, 20, 10, "b");
    }
    acked.putAll(afterTakeover);

    a.resume();
    onA.send(Map.of("type", "submit", "id", 99, "room", "shared", "changes", List.of(
        Map.of("localSeq", 21, "baseSeq", 20, "set", Map.of("stale", "from the paused owner")))));
    JsonNode answer = onA.await(m -> m.path("id").asInt() == 99
        || "closed".equals(m.path("type").asText()) || m.toString().contains("moved"));
    assertFalse(answer.has("acks") && answer.get("acks").size() > 0,
        "the paused owner acked a change after losing the room: " + answer);

    try (WebSocketClient check = client(b, "checker")) {
      JsonNode joined = joinWhenServed(check, "shared", 1);
      assertEquals(30, joined.get("seq").asLong(), joined.toString());
      assertHolds(joined, acked);
      assertTrue(joined.at("/snapshot/stale").isMissingNode(), joined.toString());
    }
    onA.close();
  }
}
