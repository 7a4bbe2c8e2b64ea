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
import dev.livestate.testkit.database.TestDatabase;
import dev.livestate.testkit.net.TcpProxy;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code /ready} follows the store: a PostgreSQL store behind a TCP proxy that the test cuts
 * (the machine's database keeps running for everyone else) turns the node unready, and ready
 * again once the proxy lets it through. Shutdown turns it unready before connections go.
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

  @Test
  void readyFollowsWhetherThePostgresStoreAnswers() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      URI target = URI.create(db.url.substring("jdbc:".length()));
      try (TcpProxy proxy = TcpProxy.to(target.getHost(), target.getPort())) {
        String viaProxy = db.url.replace(target.getHost() + ":" + target.getPort(),
            "127.0.0.1:" + proxy.port());
        Map<String, String> settings =
            Map.of("store", viaProxy, "store.user", db.user, "ready.timeout", "1s");
        try (TestServer server = TestServer.start(settings)) {
          assertEquals("ready", ready(server, 200).get("status").asText());

          proxy.cut();
          Await.until("/ready says 503", () -> status(server) == 503);
          JsonNode unready = ready(server, 503);
          assertEquals("unready", unready.get("status").asText());
          assertTrue(unready.get("reason").asText().contains("store"), unready.toString());

          proxy.restore();
          Await.until("/ready says 200 again", () -> status(server) == 200);
          assertEquals("ready", ready(server, 200).get("status").asText());
        }
      }
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
