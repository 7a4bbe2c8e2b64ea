package dev.livestate.server.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.ChildServer;
import dev.livestate.server.TestServer;
import dev.livestate.server.cluster.TestRedis;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.database.PrivatePostgres;
import dev.livestate.testkit.database.TestDatabase;
import dev.livestate.testkit.net.TcpProxy;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code /ready} follows the store: a PostgreSQL of the test's own, stopped, turns the node
 * unready, and ready again once it runs. Shutdown turns it unready before connections go.
 */
class ReadinessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode ready(TestServer server, int status) throws Exception {
    HttpResponse<String> r = server.get("/ready");
    assertEquals(status, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static int status(TestServer server) throws Exception {
    return server.get("/ready").statusCode();
  }

  /** Submits one change to room {@code r} and returns the server's answer to it. */
  private static JsonNode submit(WebSocketClient ws, int localSeq) {
    ws.send(Map.of("type", "submit", "id", localSeq, "room", "r", "changes", List.of(
        Map.of("localSeq", localSeq, "baseSeq", 0, "set", Map.of("k" + localSeq, localSeq)))));
    return ws.await(m -> m.path("id").asInt() == localSeq, 60_000);
  }

  /**
   * A PostgreSQL of this test's own stopped as a crash would: the node turns unready, a write
   * meanwhile is refused and {@code /healthz} says degraded; started again on the same port and
   * data, the node is ready and a write is acked and read back with the one from before.
   */
  @Test
  void readyFollowsWhetherThePostgresStoreRuns() throws Exception {
    try (PrivatePostgres pg = PrivatePostgres.create();
        TestServer server = TestServer.start(
            Map.of("store", pg.url(), "store.user", pg.user, "ready.timeout", "1s"));
        WebSocketClient ws = server.socket("/ws")) {
      assertEquals("ready", ready(server, 200).get("status").asText());
      ws.send(Map.of("type", "join", "id", 0, "room", "r", "create", true));
      ws.awaitType("joined");
      assertEquals(1, submit(ws, 1).at("/acks/0/seq").asLong());

      pg.stop();
      long stopped = System.nanoTime();
      Await.until("/ready says 503", () -> status(server) == 503);
      long unreadyAfter = System.nanoTime() - stopped;
      JsonNode unready = ready(server, 503);
      assertEquals("unready", unready.get("status").asText());
      assertTrue(unready.get("reason").asText().contains("store"), unready.toString());
      long writing = System.nanoTime();
      JsonNode refused = submit(ws, 2);
      long refusedAfter = System.nanoTime() - writing;
      assertEquals("room_failed", refused.path("code").asText(), refused.toString());
      HttpResponse<String> health = server.get("/healthz");
      assertEquals(503, health.statusCode(), health.body());
      assertEquals("degraded", JSON.readTree(health.body()).get("status").asText());

      pg.start();
      long started = System.nanoTime();
      Await.until("/ready says 200 again", () -> status(server) == 200);
      long readyAfter = System.nanoTime() - started;
      assertEquals("ready", ready(server, 200).get("status").asText());
      JsonNode acked = null;
      for (int localSeq = 3; acked == null; localSeq++) { // the room comes back on its own time
        JsonNode answer = submit(ws, localSeq);
        if (answer.path("acks").size() == 1) {
          acked = answer;
        } else {
          assertTrue(System.nanoTime() - started < Await.TIMEOUT.toNanos(), answer.toString());
          int joinId = -localSeq;
          ws.send(Map.of("type", "join", "id", joinId, "room", "r"));
          ws.await(m -> m.path("id").asInt() == joinId);
        }
      }
      assertEquals(2, acked.at("/acks/0/seq").asLong(), acked.toString());
      long ackedAfter = System.nanoTime() - started;
      System.out.printf("unready %d ms after PostgreSQL stopped, a write refused in %d ms; ready"
          + " %d ms and a write acked %d ms after it started%n", unreadyAfter / 1_000_000,
          refusedAfter / 1_000_000, readyAfter / 1_000_000, ackedAfter / 1_000_000);
      try (WebSocketClient reader = server.socket("/ws")) {
        reader.send(Map.of("type", "join", "id", 1, "room", "r"));
        JsonNode joined = reader.awaitType("joined");
        assertEquals(2, joined.get("seq").asLong(), joined.toString());
        assertEquals(1, joined.at("/snapshot/k1").asLong(), joined.toString());
        assertTrue(joined.at("/snapshot").size() == 2, joined.toString());
      }
      assertEquals(200, server.get("/healthz").statusCode());
    }
  }

  private static HttpResponse<String> ready(ChildServer node) throws Exception {
    return Http.get("http://127.0.0.1:" + node.port() + "/ready");
  }

  /**
   * A cluster node whose Redis (behind a proxy the test cuts) cannot be reached is unready: first
   * before it has joined, then while Redis is gone, since it could claim no room; and ready once
   * Redis answers again.
   */
  @Test
  void aClusterNodeIsReadyOnlyOnceJoinedAndWhileRedisAnswers() throws Exception {
    try (TestRedis redis = new TestRedis(); TestDatabase db = TestDatabase.postgres();
        TcpProxy proxy = TcpProxy.to("127.0.0.1", URI.create(TestRedis.URL).getPort())) {
      proxy.cut();
      ChildServer node = ChildServer.start(Files.createTempDirectory("livestate-ready"),
          "--store", db.url, "--store-user", db.user,
          "--cluster-redis", "redis://127.0.0.1:" + proxy.port(),
          "--cluster-prefix", redis.prefix, "--node-id", "lonely", "--cluster-lease", "1s");
      try {
        HttpResponse<String> outside = ready(node);
        assertEquals(503, outside.statusCode(), outside.body());
        assertTrue(outside.body().contains("not joined its cluster"), outside.body());

        proxy.restore();
        Await.until("ready once joined", () -> ready(node).statusCode() == 200);

        proxy.cut();
        Await.until("unready without Redis", () -> ready(node).statusCode() == 503);
        HttpResponse<String> cut = ready(node);
        assertEquals(503, cut.statusCode(), cut.body());
        assertTrue(cut.body().contains("Redis is unreachable"), cut.body());

        proxy.restore();
        Await.until("ready again with Redis", () -> ready(node).statusCode() == 200);
      } finally {
        node.kill();
      }
    }
  }

  @Test
  void shutdownTurnsUnreadyBeforeConnectionsAreClosed() throws Exception {
    TestServer server = TestServer.start(Map.of("shutdown.unready-delay", "2s"));
    try (WebSocketClient client = server.socket("/ws")) {
      assertEquals(200, status(server));
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      Await.until("/ready says 503", () -> status(server) == 503);
      assertEquals("shutting down", ready(server, 503).get("reason").asText());
      assertTrue(client.isOpen(), "connections are still open while the node turns unready");
      closing.get();
      assertTrue(!client.isOpen(), "then connections are closed");
    }
  }
}
