package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.ChildServer;
import dev.livestate.testkit.database.Prerequisite;
import dev.livestate.testkit.database.TestDatabase;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis of this test's own (a child redis-server on a free port, nothing kept on disk) killed
 * under a writer and started again empty: nothing acked is lost, seqs stay gap-free, and the
 * room serves again once Redis is back, with its lease generations starting from nothing.
 */
class RedisRestartTest {
  private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");

  private TestDatabase db;
  private int port;
  private Process redis;
  private ChildServer node;

  @BeforeEach
  void services() throws Exception {
    if (!Files.isExecutable(REDIS_SERVER)) {
      throw Prerequisite.missing(REDIS_SERVER + " is not installed");
    }
    db = TestDatabase.postgres();
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    redis = startRedis();
  }

  private Process startRedis() throws Exception {
    Process p = new ProcessBuilder(REDIS_SERVER.toString(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return p;
      } catch (java.io.IOException notYet) {
        assertTrue(System.nanoTime() < deadline, "redis-server did not start");
        Thread.sleep(20);
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.kill();
    }
    redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    db.close();
  }

  /** Submits one change and waits for its answer: its seq, or -1 when it was refused. */
  private static long submit(WebSocketClient ws, long localSeq) {
    ws.send(Map.of("type", "submit", "id", localSeq, "room", "busy", "changes", List.of(
        Map.of("localSeq", localSeq, "baseSeq", 0, "set", Map.of("k" + localSeq, localSeq)))));
    JsonNode answer = ws.await(m -> m.path("id").asLong() == localSeq);
    JsonNode acks = answer.path("acks");
    return acks.size() == 1 ? acks.get(0).get("seq").asLong() : -1;
  }

  private static boolean join(WebSocketClient ws, int id) {
    ws.send(Map.of("type", "join", "id", id, "room", "busy", "create", true));
    return "joined".equals(ws.await(m -> m.path("id").asInt() == id).path("type").asText());
  }

  @Test
  void redisKilledAndStartedEmptyUnderAWriterLosesNothingAckedAndServiceComesBack()
      throws Exception {
    node = ChildServer.start(Files.createTempDirectory("livestate-redis-restart"),
        "--store", db.url, "--store-user", db.user, "--cluster-redis",
        "redis://127.0.0.1:" + port, "--node-id", "a", "--cluster-lease", "2s");
    Map<Long, Long> acked = new TreeMap<>(); // seq → localSeq
    long localSeq = 0;
    long backAfterMillis = -1;
    try (WebSocketClient ws = WebSocketClient.connect(node.ws())) {
      ws.send(Map.of("type", "hello", "id", 0, "clientId", "writer",
          "resume", "the writer's resume secret"));
      ws.awaitType("welcome");
      assertTrue(join(ws, -1));
      for (int i = 0; i < 50; i++) {
        long seq = submit(ws, ++localSeq);
        assertEquals(acked.size() + 1, seq);
        acked.put(seq, localSeq);
      }

      redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      long down = System.nanoTime();
      boolean restarted = false;
      long restartedAt = 0;
      int joins = -2;
      while (backAfterMillis < 0) {
        if (!restarted && System.nanoTime() - down > TimeUnit.SECONDS.toNanos(4)) {
          redis = startRedis(); // empty: every lease and generation is gone
          restarted = true;
          restartedAt = System.nanoTime();
        }
        long seq = submit(ws, ++localSeq);
        if (seq > 0) {
          assertEquals(acked.size() + 1, seq, "seqs gap-free across the outage");
          acked.put(seq, localSeq);
          if (restarted) {
            backAfterMillis = (System.nanoTime() - restartedAt) / 1_000_000;
          }
        } else {
          // refused while the room could not be claimed; its subscription may have been moved
          join(ws, joins--);
          Thread.sleep(50);
        }
        assertTrue(System.nanoTime() - down < TimeUnit.SECONDS.toNanos(40), "never served again");
      }
    }
    System.out.println("service back " + backAfterMillis + " ms after Redis restarted empty");
    try (WebSocketClient reader = WebSocketClient.connect(node.ws())) {
      reader.send(Map.of("type", "join", "id", 1, "room", "busy"));
      JsonNode joined = reader.awaitType("joined");
      assertEquals(acked.size(), joined.get("seq").asLong(), joined.toString());
      for (Map.Entry<Long, Long> a : acked.entrySet()) {
        assertEquals(a.getValue().longValue(), joined.at("/snapshot/k" + a.getValue()).asLong(),
            "acked seq " + a.getKey() + " lost");
      }
    }
  }
}
