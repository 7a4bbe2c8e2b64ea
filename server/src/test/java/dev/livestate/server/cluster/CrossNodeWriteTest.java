package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.ChildServer;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writers on any node (decision 023), real server processes on Redis and PostgreSQL: a node that
 * does not own the room hands its writers' submits to the owner and relays the answers as the
 * owner would give them; the writer's own ops are not sent back to it.
 */
class CrossNodeWriteTest {
  private static final int EACH = 500;
  private TestCluster cluster;
  private ChildServer a;
  private ChildServer b;
  private ChildServer c;

  @BeforeEach
  void nodes() throws Exception {
    cluster = new TestCluster("5s");
    a = cluster.node("a");
    b = cluster.node("b");
    c = cluster.node("c");
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  /** Sends {@code count} changes, key {@code tag<i>}, without waiting for their answers. */
  private static void send(WebSocketClient ws, long firstLocalSeq, int count, String tag) {
    for (int i = 0; i < count; i++) {
      long ls = firstLocalSeq + i;
      ws.send(Map.of("type", "submit", "id", ls, "room", "shared", "changes", List.of(Map.of(
          "localSeq", ls, "baseSeq", 0, "set", Map.of(tag + ls, tag + ls)))));
    }
  }

  /** localSeq to seq of the acks {@code ws} gets for {@code count} changes; none rejected. */
  private static Map<Long, Long> acks(WebSocketClient ws, int count) {
    Map<Long, Long> acks = new TreeMap<>();
    while (acks.size() < count) {
      JsonNode result = ws.awaitType("result");
      assertEquals(0, result.path("rejected").size(), result.toString());
      result.get("acks").forEach(ack -> assertEquals(null,
          acks.put(ack.get("localSeq").asLong(), ack.get("seq").asLong()), result.toString()));
    }
    return acks;
  }

  /** The seqs of the ops {@code ws} is sent, until it has {@code through}. */
  private static List<Long> opsThrough(WebSocketClient ws, long through) {
    List<Long> seqs = new ArrayList<>();
    while (seqs.isEmpty() || seqs.get(seqs.size() - 1) < through) {
      ws.awaitType("ops").get("ops").forEach(op -> seqs.add(op.get("seq").asLong()));
    }
    return seqs;
  }

  /** The seqs a client was shown, ops and acks alike, in the order they came. */
  private static List<Long> shown(WebSocketClient ws) {
    List<Long> seqs = new ArrayList<>();
    for (JsonNode m : ws.messages()) {
      if ("ops".equals(m.path("type").asText())) {
        m.get("ops").forEach(op -> seqs.add(op.get("seq").asLong()));
      } else if ("result".equals(m.path("type").asText())) {
        m.get("acks").forEach(ack -> seqs.add(ack.get("seq").asLong()));
      }
    }
    return seqs;
  }

  private static void assertIncreasing(List<Long> seqs, String who) {
    for (int i = 1; i < seqs.size(); i++) {
      assertTrue(seqs.get(i) > seqs.get(i - 1), who + " was shown seq " + seqs.get(i)
          + " after " + seqs.get(i - 1));
    }
  }

  private static JsonNode room(ChildServer node) throws Exception {
    return Http.getJson("http://127.0.0.1:" + node.port() + "/api/rooms/shared");
  }

  @Test
  void writersOnTwoNodesAndAReaderOnAThirdConverge() throws Exception {
    try (WebSocketClient onA = TestCluster.client(a, "writer-a");
        WebSocketClient onB = TestCluster.client(b, "writer-b");
        WebSocketClient reader = TestCluster.client(c, "reader")) {
      TestCluster.joinWhenServed(a, onA, "shared", 1);
      onB.send(Map.of("type", "join", "id", 1, "room", "shared", "create", true));
      onB.awaitType("joined");
      reader.send(Map.of("type", "join", "id", 1, "room", "shared", "create", true));
      reader.awaitType("joined");
      assertTrue(!TestCluster.owns(b, "shared") && !TestCluster.owns(c, "shared"));

      // interleaved: both writers keep their changes coming at once, in rounds
      int round = 50;
      Map<Long, Long> ackedA = new TreeMap<>();
      Map<Long, Long> ackedB = new TreeMap<>();
      for (int first = 1; first <= EACH; first += round) {
        send(onA, first, round, "a");
        send(onB, first, round, "b");
        ackedA.putAll(acks(onA, round));
        ackedB.putAll(acks(onB, round));
      }

      List<Long> all = new ArrayList<>(ackedA.values());
      all.addAll(ackedB.values());
      all.sort(null);
      assertEquals(LongStream.rangeClosed(1, 2 * EACH).boxed().toList(), all,
          "every ack's seq gap-free, no two the same");
      assertEquals(all, opsThrough(reader, 2 * EACH), "the reader gets every op once, in order");
      List<Long> toA = new ArrayList<>(ackedB.values());
      List<Long> toB = new ArrayList<>(ackedA.values());
      assertEquals(toA, opsThrough(onA, toA.get(toA.size() - 1)), "a is sent b's ops only");
      assertEquals(toB, opsThrough(onB, toB.get(toB.size() - 1)), "b is sent a's ops only");
      assertIncreasing(shown(onA), "the owner's writer");
      assertIncreasing(shown(onB), "the other node's writer");

      JsonNode atA = room(a);
      assertEquals(2 * EACH, atA.path("seq").asLong(), atA.toString());
      assertEquals(atA, room(b));
      assertEquals(atA, room(c));
    }
  }

  @Test
  void aChangeResentThroughTheOtherNodeGetsItsOriginalAck() throws Exception {
    try (WebSocketClient onA = TestCluster.client(a, "writer")) {
      TestCluster.joinWhenServed(a, onA, "shared", 1);
      send(onA, 1, 3, "w");
      Map<Long, Long> original = acks(onA, 3);
      try (WebSocketClient onB = TestCluster.client(b, "writer")) {
        onB.send(Map.of("type", "join", "id", 1, "room", "shared", "create", true));
        onB.awaitType("joined");
        send(onB, 2, 1, "w");
        assertEquals(Map.of(2L, original.get(2L)), acks(onB, 1));
        send(onB, 4, 1, "w");
        assertEquals(Map.of(4L, 4L), acks(onB, 1), "a new change through b is decided once");
      }
      assertEquals(4, room(a).path("seq").asLong());
    }
  }

  /**
   * The answer to the change {@code localSeq}, sent again (joining again if the room moved under
   * the writer) until the room acks it.
   */
  private static long ackedAfterRetries(WebSocketClient ws, long localSeq) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonNode answer = ws.await(m -> m.path("id").asLong() == localSeq);
    while (!"result".equals(answer.path("type").asText())) {
      assertTrue(System.nanoTime() < deadline, "never acked: " + answer);
      String code = answer.path("code").asText();
      assertTrue(code.equals("room_failed") || code.equals("not_joined"), answer.toString());
      Thread.sleep(100);
      if (code.equals("not_joined")) { // b took the room and moved its followers: join again
        ws.send(Map.of("type", "join", "id", -localSeq, "room", "shared", "create", true));
        ws.await(m -> m.path("id").asLong() == -localSeq);
      }
      send(ws, localSeq, 1, "w");
      answer = ws.await(m -> m.path("id").asLong() == localSeq);
    }
    assertEquals(0, answer.path("rejected").size(), answer.toString());
    return answer.at("/acks/0/seq").asLong();
  }

  @Test
  void changesInFlightWhenTheOwnerDiesAreRefusedForAResendAndNoneIsAppliedTwice()
      throws Exception {
    try (WebSocketClient onA = TestCluster.client(a, "first");
        WebSocketClient onB = TestCluster.client(b, "writer")) {
      TestCluster.joinWhenServed(a, onA, "shared", 1);
      onB.send(Map.of("type", "join", "id", 0, "room", "shared", "create", true));
      onB.awaitType("joined");
      send(onB, 1, 20, "w");
      assertEquals(20, acks(onB, 20).size());

      send(onB, 21, 40, "w");
      a.kill();
      List<Long> seqs = new ArrayList<>();
      for (long ls = 21; ls <= 60; ls++) {
        seqs.add(ackedAfterRetries(onB, ls));
      }
      assertEquals(LongStream.rangeClosed(21, 60).boxed().toList(), seqs,
          "every change decided once, in order, whichever node answered it");
      assertEquals(60, room(b).path("seq").asLong());
    }
  }
}
