package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.ChildServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Readers on a node that does not own their room (decision 021), real server processes on Redis
 * and PostgreSQL: the owner announces each committed batch on the bus, the reader's node reads
 * the ops from the store and relays them once, in order; a join there is answered from the
 * store and then kept live without a gap or a duplicate.
 */
class CrossNodeReadTest {
  private TestCluster cluster;
  private ChildServer a;
  private ChildServer b;
  private WebSocketClient writer;

  /** Nodes a and b; a writer on a, on the room "live", which a therefore owns. */
  @BeforeEach
  void services() throws Exception {
    cluster = new TestCluster("5s");
    a = cluster.node("a");
    b = cluster.node("b");
    writer = TestCluster.client(a, "writer");
    TestCluster.joinWhenServed(a, writer, "live", 1);
  }

  /** A new reader of "live" on b, which does not own it; its joined message. */
  private static JsonNode joinLive(WebSocketClient reader, Map<String, Object> since) {
    Map<String, Object> join = new HashMap<>(
        Map.of("type", "join", "id", 1, "room", "live", "create", true));
    join.putAll(since);
    reader.send(join);
    return reader.awaitType("joined");
  }

  @AfterEach
  void stop() throws Exception {
    writer.close();
    cluster.close();
  }

  /** The seqs of the relayed ops the reader gets, until it has {@code through}. */
  private static List<Long> relayedThrough(WebSocketClient reader, long through) {
    List<Long> seqs = new ArrayList<>();
    while (seqs.isEmpty() || seqs.get(seqs.size() - 1) < through) {
      JsonNode ops = reader.awaitType("ops");
      ops.get("ops").forEach(op -> seqs.add(op.get("seq").asLong()));
    }
    return seqs;
  }

  private static List<Long> seqs(long from, long through) {
    return LongStream.rangeClosed(from, through).boxed().toList();
  }

  @Test
  void aReaderOnTheOtherNodeGetsEveryOpOnceInOrder() throws Exception {
    try (WebSocketClient reader = TestCluster.client(b, "reader")) {
      assertEquals(0, joinLive(reader, Map.of()).get("seq").asLong());

      Map<Long, String> acked = TestCluster.write(writer, "live", 1, 0, 1000, "v");
      assertEquals(seqs(1, 1000), List.copyOf(acked.keySet()));
      assertEquals(seqs(1, 1000), relayedThrough(reader, 1000));
    }
  }

  @Test
  void aReaderJoiningTheOtherNodeMidStreamGetsWhatItMissedThenLiveOps() throws Exception {
    try (WebSocketClient early = TestCluster.client(b, "early")) {
      String epoch = joinLive(early, Map.of()).get("epoch").asText();
      TestCluster.write(writer, "live", 1, 0, 300, "v");
      try (WebSocketClient late = TestCluster.client(b, "late")) {
        JsonNode joined = joinLive(late, Map.of("since", Map.of("epoch", epoch, "seq", 250)));
        assertTrue(joined.has("ops"), "a tail from the asked position: " + joined);
        List<Long> got = new ArrayList<>();
        joined.get("ops").forEach(op -> got.add(op.get("seq").asLong()));
        assertEquals(seqs(251, 300), got, joined.toString());

        TestCluster.write(writer, "live", 301, 300, 200, "w");
        assertEquals(seqs(301, 500), relayedThrough(late, 500));
        assertEquals(seqs(1, 500), relayedThrough(early, 500));
      }
    }
  }
}
