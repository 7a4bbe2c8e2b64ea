package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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

/**
 * Real server processes as the nodes of one cluster, on a Redis prefix and PostgreSQL tables of
 * their own, and what the cluster tests do with them.
 */
final class TestCluster implements AutoCloseable {
  private final String lease;
  private final TestRedis redis = new TestRedis();
  private final TestDatabase db = TestDatabase.postgres();
  private final List<ChildServer> nodes = new ArrayList<>();

  TestCluster(String lease) {
    this.lease = lease;
  }

  /** Starts a node named {@code name} of this cluster, with {@code settings} (flag, value...). */
  ChildServer node(String name, String... settings) throws Exception {
    Path data = Files.createTempDirectory("livestate-cluster-" + name);
    List<String> args = new ArrayList<>(List.of("--store", db.url, "--store-user", db.user,
        "--cluster-redis", TestRedis.URL, "--cluster-prefix", redis.prefix, "--node-id", name,
        "--cluster-lease", lease));
    args.addAll(List.of(settings));
    ChildServer n = ChildServer.start(data, args.toArray(String[]::new));
    nodes.add(n);
    return n;
  }

  static WebSocketClient client(ChildServer node, String clientId) throws Exception {
    WebSocketClient ws = WebSocketClient.connect(node.ws());
    ws.send(Map.of("type", "hello", "id", 0, "clientId", clientId, "resume", clientId + "-resume-secret-of-the-test"));
    ws.awaitType("welcome");
    return ws;
  }

  /**
   * Joins on {@code node} once that node decides the room (a node that does not own it serves
   * the join as a follower: then leave, and join again until the owner's lease ran out); the
   * joined message.
   */
  static JsonNode joinWhenServed(ChildServer node, WebSocketClient ws, String room,
      int id) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      ws.send(Map.of("type", "join", "id", id, "room", room, "create", true));
      JsonNode answer = ws.await(m -> m.path("id").asInt() == id);
      assertEquals("joined", answer.path("type").asText(), answer.toString());
      if (owns(node, room)) {
        return answer;
      }
      ws.send(Map.of("type", "leave", "id", id, "room", room));
      ws.await(m -> m.path("id").asInt() == id && "left".equals(m.path("type").asText()));
      if (System.nanoTime() >= deadline) {
        // who holds it instead says which node's claim won, and whether any did
        fail("never owned by " + node.port() + ": " + answer + "; the cluster: "
            + Http.getJson("http://127.0.0.1:" + node.port() + "/api/cluster"));
      }
      Thread.sleep(100);
    }
  }

  /** Whether {@code node} says it owns {@code room}; {@code headers}: an admin's token, say. */
  static boolean owns(ChildServer node, String room, String... headers) throws Exception {
    JsonNode cluster = Http.getJson("http://127.0.0.1:" + node.port() + "/api/cluster",
        headers);
    for (JsonNode n : cluster.path("nodes")) {
      if (n.path("node").asText().equals(cluster.path("node").asText())) {
        return names(n.path("rooms"), null).contains(room);
      }
    }
    return false;
  }

  /** Submits {@code count} changes, key {@code s<seq>} each; returns seq → value, all acked. */
  static Map<Long, String> write(WebSocketClient ws, String room, long firstLocalSeq,
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

  static void assertHolds(JsonNode joined, Map<Long, String> acked) {
    for (Map.Entry<Long, String> a : acked.entrySet()) {
      assertEquals(a.getValue(), joined.at("/snapshot/s" + a.getKey()).asText(),
          "acked op " + a.getKey() + " in " + joined);
    }
  }

  static List<String> names(JsonNode array, String field) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(field == null ? n.asText() : n.path(field).asText()));
    return names;
  }

  @Override
  public void close() throws Exception {
    for (ChildServer n : nodes) {
      n.kill();
    }
    db.close();
    redis.close();
  }
}
