package dev.livestate.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.room.Role;
import dev.livestate.server.ChildServer;
import dev.livestate.server.TestServer;
import dev.livestate.server.cluster.TestRedis;
import dev.livestate.server.auth.TestTokens;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.database.TestDatabase;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} scraped while real clients write: the counters move by exactly what the
 * clients did, and the text is Prometheus exposition a scraper accepts.
 */
class MetricsTest {
  private static final String NATIVE = "{surface=\"native\"}";

  private static PrometheusText scrape(TestServer server) throws Exception {
    HttpResponse<String> r = server.get("/metrics");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        "Prometheus text is served as text/plain");
    return PrometheusText.parse(r.body());
  }

  /** A native client in open mode, said hello as {@code clientId}. */
  private static WebSocketClient hello(TestServer server, String clientId) throws Exception {
    WebSocketClient ws = server.socket("/ws");
    ws.send(Map.of("type", "hello", "id", 0, "clientId", clientId,
        "resume", "resume secret of " + clientId));
    JsonNode welcome = ws.await(n -> n.path("id").asLong(-1) == 0);
    assertEquals("welcome", welcome.path("type").asText(), welcome.toString());
    return ws;
  }

  private static JsonNode request(WebSocketClient ws, long id, Map<String, Object> body) {
    Map<String, Object> m = new LinkedHashMap<>(body);
    m.put("id", id);
    ws.send(m);
    return ws.await(n -> n.path("id").asLong(-1) == id);
  }

  private static Map<String, Object> change(long localSeq, long baseSeq, String key, int value) {
    return Map.of("localSeq", localSeq, "baseSeq", baseSeq, "set", Map.of(key, value));
  }

  @Test
  void countersMoveByWhatClientsDidAndTheTextIsPrometheusExposition() throws Exception {
    try (TestServer server = TestServer.start()) {
      PrometheusText before = scrape(server);
      try (WebSocketClient writer = hello(server, "writer");
          WebSocketClient rival = hello(server, "rival");
          WebSocketClient reader = hello(server, "reader")) {
        assertEquals("joined", request(writer, 1, Map.of("type", "join", "room", "metered",
            "create", Map.of("policy", "first-writer-wins"))).path("type").asText());
        request(rival, 1, Map.of("type", "join", "room", "metered"));
        request(reader, 1, Map.of("type", "join", "room", "metered", "role", "reader"));
        PrometheusText joined = scrape(server);
        assertEquals(3, joined.value("livestate_connections" + NATIVE)
            - before.value("livestate_connections" + NATIVE), "three clients connected");
        assertEquals(1, joined.value("livestate_rooms") - before.value("livestate_rooms"));

        // one batch of five changes, then two single ones: seven ops in three relayed events
        List<Map<String, Object>> five = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
          five.add(change(i, 0, "k" + i, i));
        }
        assertEquals(5, request(writer, 2, Map.of("type", "submit", "room", "metered",
            "changes", five)).get("acks").size());
        request(writer, 3, Map.of("type", "submit", "room", "metered",
            "changes", List.of(change(6, 5, "k6", 6))));
        request(writer, 4, Map.of("type", "submit", "room", "metered",
            "changes", List.of(change(7, 6, "k1", 10))));
        // the rival had not seen k1 change: first-writer-wins keeps the writer's value
        JsonNode refused = request(rival, 2, Map.of("type", "submit", "room", "metered",
            "changes", List.of(change(1, 0, "k1", 99))));
        assertEquals("conflict", refused.at("/rejects/0/code").asText(), refused.toString());
        reader.await(n -> n.path("type").asText().equals("ops")
            && n.at("/ops/0/seq").asLong() == 7);

        Await.until("the deliveries are counted", () -> scrape(server)
            .value("livestate_deliveries_total" + NATIVE)
            - joined.value("livestate_deliveries_total" + NATIVE) >= 6);
        PrometheusText after = scrape(server);
        assertEquals(7, after.value("livestate_ops_committed_total" + NATIVE)
            - joined.value("livestate_ops_committed_total" + NATIVE), "seven ops committed");
        // three events, each to the rival and the reader (never back to the writer)
        assertEquals(6, after.value("livestate_deliveries_total" + NATIVE)
            - joined.value("livestate_deliveries_total" + NATIVE));
        assertEquals(1, after.value("livestate_rejections_total{code=\"conflict\"}")
            - joined.value("livestate_rejections_total{code=\"conflict\"}"));
        assertEquals(4, after.value("livestate_ack_seconds_count")
            - joined.value("livestate_ack_seconds_count"), "four batches answered");
        assertTrue(after.value("livestate_commit_seconds_count")
            - joined.value("livestate_commit_seconds_count") >= 3, "each batch committed");
        assertEquals(0, after.value("livestate_store_errors_total"));
        assertEquals(0, after.value("livestate_slow_consumer_disconnects_total"));
        assertTrue(after.samples.keySet().stream()
            .anyMatch(s -> s.startsWith("jvm_memory_used_bytes{area=\"heap\"")), "JVM meters");
        assertTrue(after.value("process_uptime_seconds") > 0);
        assertTrue(after.samples.containsKey("process_cpu_usage"));
        assertEquals("histogram", after.types.get("livestate_commit_seconds"));
        assertEquals("histogram", after.types.get("livestate_ack_seconds"));
      }
      Await.until("the closed connections are no longer counted",
          () -> scrape(server).value("livestate_connections" + NATIVE)
              == before.value("livestate_connections" + NATIVE));
    }
  }

  private static PrometheusText scrape(ChildServer node) throws Exception {
    HttpResponse<String> r = Http.get("http://127.0.0.1:" + node.port() + "/metrics");
    assertEquals(200, r.statusCode(), r.body());
    return PrometheusText.parse(r.body());
  }

  private static final String TAKEN = "livestate_room_owner_changes_total{change=\"taken\"}";
  private static final String LOST = "livestate_room_owner_changes_total{change=\"lost\"}";

  /** A native client of {@code node}, said hello as {@code clientId}. */
  private static WebSocketClient hello(ChildServer node, String clientId) throws Exception {
    WebSocketClient ws = WebSocketClient.connect(node.ws());
    ws.send(Map.of("type", "hello", "id", 0, "clientId", clientId,
        "resume", "resume secret of " + clientId));
    ws.awaitType("welcome");
    return ws;
  }

  /** Joins {@code room}, retrying while another node owns it. */
  private static void joinWhenServed(WebSocketClient ws, String room) throws Exception {
    for (int id = 1; ; id++) {
      JsonNode answer = request(ws, id, Map.of("type", "join", "room", room, "create", true));
      if ("joined".equals(answer.path("type").asText())) {
        return;
      }
      assertTrue(id < 200, "never served: " + answer);
      Thread.sleep(100);
    }
  }

  /**
   * Writes to {@code room} until a node decides the change: a join on a node that does not own
   * the room is served from the store, so only a write makes a node take a room nobody holds.
   */
  private static void writeWhenDecided(WebSocketClient ws, String room) throws Exception {
    for (int id = 1000; ; id++) {
      JsonNode answer = request(ws, id, Map.of("type", "submit", "room", room,
          "changes", List.of(change(id, 0, "k", id))));
      if (answer.path("acks").size() == 1) {
        return;
      }
      assertTrue(id < 1200, "never decided: " + answer);
      Thread.sleep(100);
    }
  }

  /**
   * Two real nodes on Redis and PostgreSQL: each counts the live nodes it sees, and the rooms it
   * took and lost — a room taken over from a paused node is one taken by the other and, once the
   * paused one wakes to find its leases gone, among those lost by it.
   */
  @Test
  void aClusterNodeCountsTheLiveNodesAndTheRoomsItTookAndLost() throws Exception {
    try (TestRedis redis = new TestRedis(); TestDatabase db = TestDatabase.postgres()) {
      List<ChildServer> nodes = new ArrayList<>();
      try {
        for (String name : List.of("a", "b")) {
          nodes.add(ChildServer.start(Files.createTempDirectory("livestate-metrics-" + name),
              "--store", db.url, "--store-user", db.user, "--cluster-redis", TestRedis.URL,
              "--cluster-prefix", redis.prefix, "--node-id", name, "--cluster-lease", "1s"));
        }
        ChildServer a = nodes.get(0);
        ChildServer b = nodes.get(1);
        for (ChildServer n : nodes) {
          Await.until("both nodes seen", () -> scrape(n).value("livestate_cluster_nodes") == 2);
        }
        // a client's hello may claim the server's own record of it: counted before the baseline
        try (WebSocketClient first = hello(b, "first");
            WebSocketClient second = hello(a, "second")) {
          PrometheusText aBefore = scrape(a);
          PrometheusText bBefore = scrape(b);
          joinWhenServed(first, "handed-over");
          assertEquals(1, scrape(b).value(TAKEN) - bBefore.value(TAKEN), "b took the room");
          b.pause();
          joinWhenServed(second, "handed-over");
          writeWhenDecided(second, "handed-over");
          assertEquals(1, scrape(a).value(TAKEN) - aBefore.value(TAKEN), "a took it over");
          assertEquals(0, scrape(a).value(LOST) - aBefore.value(LOST));
          Await.until("a sees b gone", () -> scrape(a).value("livestate_cluster_nodes") == 1);
          b.resume();
          // every lease b held ran out while it slept: the handed-over room is one of them
          Await.until("b counts the room lost",
              () -> scrape(b).value(LOST) - bBefore.value(LOST) >= 1);
          Await.until("b is back", () -> scrape(a).value("livestate_cluster_nodes") == 2);
        }
      } finally {
        for (ChildServer n : nodes) {
          n.kill();
        }
      }
    }
  }

  @Test
  void eachSurfacesConnectionsAreCountedUnderItsName() throws Exception {
    try (TestServer server = TestServer.start()) {
      PrometheusText before = scrape(server);
      Map<String, String> paths = Map.of("shared-state", "/sharedstate", "meet", "/meet",
          "user-status", "/logs/ws?site=tst");
      List<WebSocketClient> open = new ArrayList<>();
      try {
        for (String path : paths.values()) {
          open.add(server.socket(path));
        }
        Await.until("every surface counts its connection", () -> {
          PrometheusText now = scrape(server);
          for (String surface : paths.keySet()) {
            String series = "livestate_connections{surface=\"" + surface + "\"}";
            if (now.value(series) != before.value(series) + 1) {
              return false;
            }
          }
          return true;
        });
      } finally {
        open.forEach(WebSocketClient::close);
      }
      Await.until("and no longer once they are closed", () -> {
        PrometheusText now = scrape(server);
        return paths.keySet().stream().allMatch(surface -> now.value(
            "livestate_connections{surface=\"" + surface + "\"}") == before.value(
            "livestate_connections{surface=\"" + surface + "\"}"));
      });
    }
  }

  @Test
  void withTokensOnlyAnOperatorMayScrape() throws Exception {
    try (TestServer server = TestServer.start(TestTokens.tokenMode())) {
      assertEquals(401, server.get("/metrics").statusCode());
      String writer = TestTokens.token("someone", TestTokens.grant("*", Role.WRITER, 0));
      assertEquals(403, Http.get(server.http("/metrics"), TestTokens.bearer(writer)).statusCode());
      HttpResponse<String> admin =
          Http.get(server.http("/metrics"), TestTokens.bearer(TestTokens.admin("operator")));
      assertEquals(200, admin.statusCode());
      PrometheusText.parse(admin.body());
    }
  }
}
