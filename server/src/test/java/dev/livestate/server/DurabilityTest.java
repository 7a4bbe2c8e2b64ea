package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Acked writes survive SIGKILL: the server runs as a child process on an SQLite data directory,
 * is killed while writes are in flight, restarted on the same directory, and must hold every op
 * it acknowledged, with seqs continuing without a gap; a change resent after the kills is
 * answered with its original ack.
 */
class DurabilityTest {
  @Test
  void ackedOpsSurviveFiveKillsWithSeqsContinuingWithoutGaps() throws Exception {
    Path dataDir = Files.createTempDirectory("livestate-durability");
    Map<Long, String> acked = new TreeMap<>(); // seq → value written
    String epoch = null;
    long localSeq = 0;
    Map<Long, Long> ackedLocalSeq = new TreeMap<>(); // seq → the localSeq it acked
    for (int round = 1; round <= 5; round++) {
      ChildServer server = ChildServer.start(dataDir);
      try (WebSocketClient ws = WebSocketClient.connect(server.ws())) {
        ws.send(Map.of("type", "hello", "id", 0, "clientId", "durable-writer",
            "resume", "the durable writer's own secret"));
        ws.awaitType("welcome");
        ws.send(Map.of("type", "join", "id", 0, "room", "durable", "create", true));
        JsonNode joined = ws.awaitType("joined");
        if (epoch == null) {
          epoch = joined.get("epoch").asText();
        }
        assertEquals(epoch, joined.get("epoch").asText(), "the room keeps its epoch across restarts");
        long head = joined.get("seq").asLong();
        Map<Long, String> recovered = new TreeMap<>();
        JsonNode snapshot = joined.get("snapshot");
        snapshot.fields().forEachRemaining(e -> recovered.put(Long.parseLong(e.getKey().substring(1)),
            e.getValue().asText()));
        for (Map.Entry<Long, String> a : acked.entrySet()) {
          assertEquals(a.getValue(), recovered.get(a.getKey()), "acked op " + a.getKey() + " in round " + round);
        }
        // keys are named after the seq each write expects, so state alone shows every op
        for (long s = 1; s <= head; s++) {
          assertTrue(recovered.containsKey(s), "no gap: seq " + s + " missing after round " + round);
        }
        // write a stream of batches without waiting, then kill mid-flight
        List<Long> sentLocal = new ArrayList<>();
        long nextSeq = head + 1;
        Map<Long, Long> expectedSeq = new TreeMap<>();
        for (int i = 0; i < 400; i++) {
          long ls = ++localSeq;
          expectedSeq.put(ls, nextSeq);
          String key = "s" + nextSeq;
          ws.send(Map.of("type", "submit", "id", ls, "room", "durable", "changes", List.of(
              Map.of("localSeq", ls, "baseSeq", head, "set", Map.of(key, "round" + round + "-" + i)))));
          sentLocal.add(ls);
          nextSeq++;
        }
        int acks = 0;
        while (acks < 150) {
          JsonNode result = ws.awaitType("result");
          for (JsonNode ack : result.get("acks")) {
            long seq = ack.get("seq").asLong();
            assertEquals(expectedSeq.get(ack.get("localSeq").asLong()), seq, "seqs in submit order");
            int i = sentLocal.indexOf(ack.get("localSeq").asLong());
            acked.put(seq, "round" + round + "-" + i);
            ackedLocalSeq.put(seq, ack.get("localSeq").asLong());
            acks++;
          }
        }
      } finally {
        server.kill(); // SIGKILL, mid-flight; also when an assertion failed
      }
    }
    ChildServer last = ChildServer.start(dataDir);
    try (WebSocketClient ws = WebSocketClient.connect(last.ws())) {
      ws.send(Map.of("type", "hello", "id", 0, "clientId", "durable-writer",
            "resume", "the durable writer's own secret"));
      ws.awaitType("welcome");
      ws.send(Map.of("type", "join", "id", 1, "room", "durable"));
      JsonNode joined = ws.awaitType("joined");
      JsonNode state = joined.get("snapshot");
      for (Map.Entry<Long, String> a : acked.entrySet()) {
        JsonNode value = state.get("s" + a.getKey());
        assertTrue(value != null, "acked op " + a.getKey() + " lost after the last kill");
        assertEquals(a.getValue(), value.asText());
      }
      // the last acked change, resent after the kills, gets its original ack and no new op
      long lastSeq = ((TreeMap<Long, String>) acked).lastKey();
      long lastLocal = ackedLocalSeq.get(lastSeq);
      ws.send(Map.of("type", "submit", "id", -1, "room", "durable", "changes", List.of(
          Map.of("localSeq", lastLocal, "baseSeq", 0, "set", Map.of("s" + lastSeq, "resent")))));
      JsonNode resent = ws.await(n -> n.path("id").asLong() == -1);
      assertEquals(lastSeq, resent.at("/acks/0/seq").asLong(), "the original ack: " + resent);
      try (WebSocketClient reader = WebSocketClient.connect(last.ws())) {
        reader.send(Map.of("type", "join", "id", 3, "room", "durable"));
        JsonNode after = reader.awaitType("joined");
        assertEquals(joined.get("seq").asLong(), after.get("seq").asLong(), "not applied again");
        assertEquals(acked.get(lastSeq), after.at("/snapshot/s" + lastSeq).asText());
      }
    } finally {
      last.close();
    }
  }
}
