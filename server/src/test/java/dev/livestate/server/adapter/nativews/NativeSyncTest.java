package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.http.Http;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sync contract over the native protocol, with real WebSocket clients. */
class NativeSyncTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static String url() {
    return server.ws("/ws");
  }

  static Map<String, Object> create(String policy) {
    return Map.of("create", Map.of("policy", policy));
  }

  /**
   * Folds what a writer receives in arrival order: its own changes at the seq of their ack, other
   * writers' ops as relayed. Fails on any gap or duplicate.
   */
  static final class Folding {
    final NativeClient client;
    final Map<Long, Map<String, Object>> mine = new HashMap<>();

    Folding(NativeClient client) {
      this.client = client;
    }

    void sent(Map<String, Object> change) {
      @SuppressWarnings("unchecked")
      Map<String, Object> values = (Map<String, Object>) change.get("set");
      mine.put((Long) change.get("localSeq"), values);
    }

    void drain() {
      for (JsonNode n : client.ws.all()) {
        String type = n.path("type").asText();
        if (type.equals("ops")) {
          client.ws.await(m -> m == n);
          n.get("ops").forEach(client::apply);
        } else if (type.equals("result")) {
          client.ws.await(m -> m == n);
          for (JsonNode ack : n.get("acks")) {
            Map<String, Object> values = mine.remove(ack.get("localSeq").asLong());
            JsonNode op = NativeClient.op(ack.get("seq").asLong(), values);
            client.apply(op);
          }
          assertEquals(0, n.get("rejects").size(), "unexpected rejects: " + n);
        }
      }
    }
  }

  @Test
  void twoWritersAndAReaderConvergeAfterAThousandInterleavedOps() throws Exception {
    String room = "converge";
    try (NativeClient a = NativeClient.connect(url(), "writer-a");
        NativeClient b = NativeClient.connect(url(), "writer-b");
        NativeClient r = NativeClient.connect(url(), "reader")) {
      a.join(room, create("last-writer-wins"));
      b.join(room, Map.of());
      r.join(room, Map.of("role", "reader"));
      Folding fa = new Folding(a);
      Folding fb = new Folding(b);
      Random random = new Random(7);
      int ops = 1200;
      for (int i = 0; i < ops; i++) {
        Folding f = i % 2 == 0 ? fa : fb;
        Map<String, Object> values = new LinkedHashMap<>();
        // distinct keys per writer: no conflicts, every op is accepted
        values.put(f.client.clientId + "/k" + random.nextInt(50), i);
        Map<String, Object> change = f.client.change(values);
        f.sent(change);
        f.client.post(Map.of("type", "submit", "room", room, "changes", List.of(change)));
        if (i % 50 == 0) {
          fa.drain();
          fb.drain();
        }
      }
      long deadline = System.currentTimeMillis() + 20_000;
      while ((a.seenSeq < ops || b.seenSeq < ops || r.seenSeq < ops)
          && System.currentTimeMillis() < deadline) {
        fa.drain();
        fb.drain();
        r.drainOps();
        Thread.onSpinWait();
      }
      assertEquals(ops, a.seenSeq);
      assertEquals(ops, b.seenSeq);
      assertEquals(ops, r.seenSeq);
      assertEquals(r.state, a.state);
      assertEquals(r.state, b.state);
      JsonNode snapshot = Http.getJson(server.http("/api/rooms/" + room));
      assertEquals(ops, snapshot.get("seq").asLong());
      Map<String, JsonNode> server = new LinkedHashMap<>();
      snapshot.get("state").fields().forEachRemaining(e -> server.put(e.getKey(), e.getValue()));
      assertEquals(server, r.state);
    }
  }

  @Test
  void readerJoiningMidStreamGetsSnapshotThenTailWithoutGapOrDuplicate() throws Exception {
    String room = "midstream";
    try (NativeClient w = NativeClient.connect(url(), "w")) {
      w.join(room, create("last-writer-wins"));
      int total = 600;
      NativeClient late = null;
      for (int i = 1; i <= total; i++) {
        w.post(Map.of("type", "submit", "room", room,
            "changes", List.of(w.change(Map.of("k" + (i % 40), i)))));
        if (i == 300) {
          late = NativeClient.connect(url(), "late");
          late.join(room, Map.of("role", "reader")); // snapshot at some seq s while writes continue
        }
      }
      NativeClient reader = late;
      long deadline = System.currentTimeMillis() + 15_000;
      while (reader.seenSeq < total && System.currentTimeMillis() < deadline) {
        reader.drainOps(); // apply() fails on any gap or duplicate
      }
      assertEquals(total, reader.seenSeq);
      JsonNode snapshot = Http.getJson(server.http("/api/rooms/" + room));
      Map<String, JsonNode> expected = new LinkedHashMap<>();
      snapshot.get("state").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue()));
      assertEquals(expected, reader.state);
      reader.close();
    }
  }

  @Test
  void reconnectingWithLastSeqGetsExactlyTheMissedOps() throws Exception {
    String room = "reconnect";
    try (NativeClient w = NativeClient.connect(url(), "w")) {
      w.join(room, create("last-writer-wins"));
      for (int i = 1; i <= 10; i++) {
        w.set(room, "k" + i, i);
      }
      NativeClient r = NativeClient.connect(url(), "r");
      r.join(room, Map.of("role", "reader"));
      assertEquals(10, r.seenSeq);
      String epoch = r.epoch;
      r.close();
      for (int i = 11; i <= 25; i++) {
        w.set(room, "k" + i, i);
      }
      try (NativeClient back = NativeClient.connect(url(), "r")) {
        JsonNode joined = back.request(Map.of("type", "join", "room", room, "role", "reader",
            "since", Map.of("epoch", epoch, "seq", 10)));
        assertFalse(joined.has("snapshot"), "expected a tail, got " + joined);
        List<Long> seqs = new ArrayList<>();
        joined.get("ops").forEach(op -> seqs.add(op.get("seq").asLong()));
        List<Long> expected = new ArrayList<>();
        for (long s = 11; s <= 25; s++) {
          expected.add(s);
        }
        assertEquals(expected, seqs);
      }
    }
  }

  @Test
  void resentBatchIsAckedAgainButNotAppliedTwice() throws Exception {
    String room = "resend";
    try (NativeClient w = NativeClient.connect(url(), "w");
        NativeClient r = NativeClient.connect(url(), "r")) {
      w.join(room, create("last-writer-wins"));
      r.join(room, Map.of("role", "reader"));
      List<Map<String, Object>> batch = List.of(w.change(Map.of("a", 1)), w.change(Map.of("b", 2)));
      JsonNode first = w.submit(room, batch);
      JsonNode again = w.submit(room, batch);
      assertEquals(first.get("acks"), again.get("acks"));
      assertEquals(2, Http.getJson(server.http("/api/rooms/" + room)).get("seq").asLong());
      JsonNode relayed = r.ws.await(n -> n.path("type").asText().equals("ops"));
      assertEquals(2, relayed.get("ops").size(), "one relay of the batch's two ops");
      w.set(room, "c", 3);
      JsonNode third = r.ws.await(n -> n.path("type").asText().equals("ops"));
      assertEquals(3, third.get("ops").get(0).get("seq").asLong(), "no duplicate relays before seq 3");
    }
  }

  @ParameterizedTest(name = "{0}: priority {1} vs {2} → second write accepted: {3}")
  @CsvSource({
      "last-writer-wins, 1, 1, true",
      "first-writer-wins, 1, 9, false",
      "priority, 5, 9, true",
      "priority, 5, 5, false",
      "priority, 5, 1, false"
  })
  void eachPolicyResolvesAConflictAndTheLoserLearnsTheWinningValue(
      String policy, int firstPriority, int secondPriority, boolean secondWins) throws Exception {
    String room = "conflict-" + policy + "-" + firstPriority + "-" + secondPriority;
    try (NativeClient a = NativeClient.connect(url(), "a");
        NativeClient b = NativeClient.connect(url(), "b")) {
      a.join(room, Map.of("priority", firstPriority, "create", Map.of("policy", policy)));
      b.join(room, Map.of("priority", secondPriority));
      // both start from seq 0; a writes first, b has not seen it
      JsonNode ackA = a.set(room, "x", "from-a");
      assertEquals(1, ackA.get("acks").size());
      JsonNode resultB = b.set(room, "x", "from-b");
      if (secondWins) {
        assertEquals(2, resultB.get("acks").get(0).get("seq").asLong());
        JsonNode relayed = a.ws.await(n -> n.path("type").asText().equals("ops")
            && n.get("ops").get(0).get("seq").asLong() == 2);
        assertEquals("from-b", relayed.get("ops").get(0).get("set").get("x").asText());
      } else {
        JsonNode reject = resultB.get("rejects").get(0);
        assertEquals("conflict", reject.get("code").asText());
        assertEquals("from-a", reject.get("winners").get("x").get("value").asText());
        assertEquals(1, reject.get("winners").get("x").get("seq").asLong());
      }
      String expected = secondWins ? "from-b" : "from-a";
      assertEquals(expected, Http.getJson(server.http("/api/rooms/" + room))
          .get("state").get("x").asText());
      assertTrue(a.ws.isOpen() && b.ws.isOpen());
    }
  }
}
