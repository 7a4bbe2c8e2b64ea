package dev.livestate.server.adapter.uisync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.await.Await;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code uisync.ping-interval} and {@code uisync.ping-timeout}: the handshake advertises them,
 * the server pings at that interval, and a client that stops answering is dropped once a ping
 * has gone unanswered for the timeout, while one that answers stays.
 */
class UiSyncHeartbeatTest {
  /** Far from the defaults (25 s, 20 s) and from each other, so neither can pass for the other. */
  private static final long INTERVAL = 600;
  private static final long TIMEOUT = 400;
  /** Scheduling noise on a busy machine: how late a timer may fire. */
  private static final long LATE = 2000;

  @TempDir Path dir;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(dir, Map.of("store", "memory",
        "uisync.ping-interval", INTERVAL + "ms", "uisync.ping-timeout", TIMEOUT + "ms"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void bothHandshakesAdvertiseTheConfiguredPingIntervalAndTimeout() throws Exception {
    JsonNode polling = open(server.get("/socket.io/?EIO=4&transport=polling").body());
    assertEquals(INTERVAL, polling.path("pingInterval").asLong());
    assertEquals(TIMEOUT, polling.path("pingTimeout").asLong());
    try (EngineIoClient ws = EngineIoClient.connect(server.port())) {
      JsonNode direct = open(ws.handshake());
      assertEquals(INTERVAL, direct.path("pingInterval").asLong());
      assertEquals(TIMEOUT, direct.path("pingTimeout").asLong());
    }
  }

  @Test
  void aClientThatAnswersIsPingedEveryIntervalAndKept() throws Exception {
    try (EngineIoClient alive = EngineIoClient.connect(server.port())) {
      Await.until("three pings", () -> alive.pingsAt().size() >= 3);
      // three answered pings take longer than interval + timeout: a client that answers stays
      assertTrue(alive.isOpen());
      alive.roundTrip();
      List<Long> at = alive.pingsAt();
      for (int i = 1; i < at.size(); i++) {
        long gap = TimeUnit.NANOSECONDS.toMillis(at.get(i) - at.get(i - 1));
        assertTrue(gap >= INTERVAL - 100 && gap <= INTERVAL + LATE, "ping gap " + gap + " ms");
      }
    }
  }

  @Test
  void aClientThatStopsAnsweringIsDroppedAfterIntervalPlusTimeout() throws Exception {
    try (EngineIoClient alive = EngineIoClient.connect(server.port());
        EngineIoClient silent = EngineIoClient.connect(server.port(), false)) {
      silent.send("42[\"join_room\",{\"site\":\"hb\"}]");
      silent.next(f -> f.startsWith("42[\"confirm_follower_start\""));
      silent.awaitClose(INTERVAL + TIMEOUT + LATE);
      long lived = TimeUnit.NANOSECONDS.toMillis(silent.closedAt() - silent.openedAt());
      // the first ping comes one interval after the open; the timeout runs from that ping
      assertTrue(lived >= INTERVAL + TIMEOUT - 100, "dropped after only " + lived + " ms");
      assertTrue(alive.isOpen());
      alive.roundTrip();
    }
  }

  private static JsonNode open(String packet) throws Exception {
    assertTrue(packet.startsWith("0{"), packet);
    return new ObjectMapper().readTree(packet.substring(1));
  }
}
