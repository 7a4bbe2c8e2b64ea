package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code livestate backup} while a client writes to several rooms as fast as it is acked, then
 * {@code livestate restore} into the stopped server's data directory: every room comes back at
 * a head it really had, between what was acked before the backup began and after it ended, with
 * exactly the state of that head (each op n set key n), and with a new epoch, so a client that
 * saw later seqs is told to resubmit.
 */
class BackupTest {
  private static final List<String> ROOMS = List.of("alpha", "beta", "gamma", "delta", "epsilon");

  /** A native client writing op after op to every room, each waiting for its ack. */
  private static final class Writer implements AutoCloseable {
    final WebSocketClient ws;
    final Map<String, Long> acked = new ConcurrentHashMap<>();
    final Map<String, String> epochs = new ConcurrentHashMap<>();
    final AtomicBoolean stop = new AtomicBoolean();
    private long id;

    Writer(TestServer server) throws Exception {
      ws = server.socket("/ws");
      request(Map.of("type", "hello", "clientId", "writer", "resume", "the writer's secret"));
      for (String room : ROOMS) {
        JsonNode joined = request(Map.of("type", "join", "room", room, "create", true));
        epochs.put(room, joined.get("epoch").asText());
        acked.put(room, 0L);
      }
    }

    JsonNode request(Map<String, Object> body) {
      long mine = ++id;
      Map<String, Object> m = new LinkedHashMap<>(body);
      m.put("id", mine);
      ws.send(m);
      return ws.await(n -> n.path("id").asLong(-1) == mine);
    }

    /** Writes until stopped; returns how many ops were acked. */
    long writeUntilStopped() {
      long total = 0;
      while (!stop.get()) {
        for (String room : ROOMS) {
          long next = acked.get(room) + 1;
          JsonNode r = request(Map.of("type", "submit", "room", room, "changes", List.of(Map.of(
              "localSeq", next, "baseSeq", next - 1, "set", Map.of("k" + next, next)))));
          assertEquals(next, r.at("/acks/0/seq").asLong(), r.toString());
          acked.put(room, next);
          total++;
        }
      }
      return total;
    }

    @Override
    public void close() {
      ws.close();
    }
  }

  @Test
  void aBackupTakenUnderWritesRestoresEveryRoomAtAHeadItHadWithNewEpochs() throws Exception {
    Path data = Files.createTempDirectory("livestate-backup-test");
    Path backup = data.resolveSibling(data.getFileName() + ".backup.db");
    Map<String, Long> before;
    Map<String, Long> after;
    Map<String, String> oldEpochs;
    try (TestServer server = TestServer.start(data, Map.of());
        Writer writer = new Writer(server)) {
      CompletableFuture<Long> writing = CompletableFuture.supplyAsync(writer::writeUntilStopped);
      while (writer.acked.values().stream().anyMatch(seq -> seq < 20)) {
        Thread.onSpinWait();
      }
      before = Map.copyOf(writer.acked);
      assertEquals(0, BackupCommand.run("backup",
          List.of(backup.toString(), "--data-dir", data.toString()), Map.of()));
      after = Map.copyOf(writer.acked);
      writer.stop.set(true);
      assertTrue(writing.get() > 100, "the backup was taken under writes");
      oldEpochs = Map.copyOf(writer.epochs);
    }
    assertEquals(0, BackupCommand.run("restore",
        List.of(backup.toString(), "--data-dir", data.toString()), Map.of()));

    try (TestServer restored = TestServer.start(data, Map.of());
        WebSocketClient client = restored.socket("/ws")) {
      client.send(Map.of("type", "hello", "id", 0, "clientId", "writer",
          "resume", "the writer's secret"));
      client.await(n -> n.path("id").asLong(-1) == 0);
      int id = 1;
      for (String room : ROOMS) {
        int mine = id++;
        client.send(Map.of("type", "join", "id", mine, "room", room));
        JsonNode joined = client.await(n -> n.path("id").asLong(-1) == mine);
        long seq = joined.get("seq").asLong();
        assertTrue(seq >= before.get(room) && seq <= after.get(room) + 1,
            room + " at " + seq + ", acked " + before.get(room) + ".." + after.get(room));
        Map<String, Long> expected = new LinkedHashMap<>();
        for (long n = 1; n <= seq; n++) {
          expected.put("k" + n, n);
        }
        Map<String, Long> state = new LinkedHashMap<>();
        joined.get("snapshot").fields()
            .forEachRemaining(e -> state.put(e.getKey(), e.getValue().asLong()));
        assertEquals(expected, state, room + "'s state is exactly its ops 1.." + seq);
        assertNotEquals(oldEpochs.get(room), joined.get("epoch").asText(), "a new epoch");

        int left = id++;
        client.send(Map.of("type", "leave", "id", left, "room", room));
        client.await(n -> n.path("id").asLong(-1) == left);
        int resumed = id++;
        client.send(Map.of("type", "join", "id", resumed, "room", room, "since",
            Map.of("epoch", oldEpochs.get(room), "seq", after.get(room))));
        JsonNode told = client.await(n -> n.path("id").asLong(-1) == resumed);
        assertTrue(told.path("resubmit").asBoolean(), "a position of the old history: " + told);
      }
    }
  }
}
