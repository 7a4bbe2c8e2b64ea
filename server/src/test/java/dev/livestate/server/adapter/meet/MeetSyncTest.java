package dev.livestate.server.adapter.meet;

import static dev.livestate.server.adapter.meet.MeetTestSupport.create;
import static dev.livestate.server.adapter.meet.MeetTestSupport.join;
import static dev.livestate.server.adapter.meet.MeetTestSupport.pull;
import static dev.livestate.server.adapter.meet.MeetTestSupport.state;
import static dev.livestate.server.adapter.meet.MeetTestSupport.updateMsg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seed's fault-free and fault-tolerance scenarios, with real WebSocket clients. */
class MeetSyncTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(MeetTestSupport.settings(Map.of()));

  private static boolean is(JsonNode m, String type) {
    return type.equals(m.path("msgType").asText());
  }

  @Test
  void oneUpdatingClientAndOneReadOnlyClient() throws Exception {
    try (MeetClient a = new MeetClient(server.port());
        MeetClient b = new MeetClient(server.port())) {
      JsonNode created = create(a, "a", "a", 1);
      String token = created.get("sessionToken").asText();
      String id = created.get("meetId").asText();
      b.request(MeetClient.msg("JOIN_MEET").put("meetId", id)
          .put("password", MeetTestSupport.PASSWORD).put("displayOnly", true), "MEET_JOINED");
      int from = b.count();
      JsonNode ack = a.request(updateMsg(token, 0, "registration.lifters", "[1,2]", 1, "meet.name",
          "Open", 2), "UPDATE_ACK");
      assertEquals(1, ack.at("/updateAcks/0/localSeqNum").asLong());
      assertEquals(1, ack.at("/updateAcks/0/serverSeqNum").asLong());
      assertEquals(2, ack.at("/updateAcks/1/serverSeqNum").asLong());
      JsonNode relay = b.await(from, m -> is(m, "UPDATE_RELAY"));
      assertEquals(2, relay.get("updatesRelayed").size());
      assertEquals("Open", relay.at("/updatesRelayed/1/updateValue").asText());
      assertEquals("a", relay.at("/updatesRelayed/1/locationName").asText());
      assertTrue(a.all("UPDATE_RELAY").isEmpty(), "the writer gets acks, not its own relay");
    }
  }

  @Test
  void twoUpdatingClientsOverlappingInTimeNotInState() throws Exception {
    try (MeetClient a = new MeetClient(server.port());
        MeetClient b = new MeetClient(server.port())) {
      JsonNode created = create(a, "a", "a", 1, "b", 1);
      String ta = created.get("sessionToken").asText();
      String tb = join(b, created.get("meetId").asText(), "b");
      int fromA = a.count();
      int fromB = b.count();
      a.send(updateMsg(ta, 0, "a.1", 1, 1, "a.2", 2, 2));
      b.send(updateMsg(tb, 0, "b.1", 1, 1, "b.2", 2, 2, "b.3", 3, 3));
      a.await(fromA, m -> is(m, "UPDATE_ACK"));
      b.await(fromB, m -> is(m, "UPDATE_ACK"));
      a.await(fromA, m -> is(m, "UPDATE_RELAY") && m.at("/updatesRelayed/0/updateKey")
          .asText().equals("b.1"));
      b.await(fromB, m -> is(m, "UPDATE_RELAY") && m.at("/updatesRelayed/0/updateKey")
          .asText().equals("a.1"));
      assertTrue(a.all("UPDATE_REJECTED").isEmpty());
      assertTrue(b.all("UPDATE_REJECTED").isEmpty());
      assertEquals(5, state(a, ta).size());
      assertEquals(state(a, ta), state(b, tb));
    }
  }

  /**
   * A and B lose the server while C keeps writing; each comes back with an update to the key C
   * changed meanwhile. The lower-priority one loses (and is told the winning value), the
   * higher-priority one wins and is relayed to everyone; all end with the same state. B comes
   * back much later than A, after more unrelated updates: not a special case.
   */
  @Test
  void offlineConflictsAreResolvedByLocationPriority() throws Exception {
    try (MeetClient c = new MeetClient(server.port());
        MeetClient a = new MeetClient(server.port());
        MeetClient b = new MeetClient(server.port())) {
      JsonNode created = create(c, "hq", "hq", 3, "low", 1, "high", 5);
      String id = created.get("meetId").asText();
      String tc = created.get("sessionToken").asText();
      String ta = join(a, id, "low");
      String tb = join(b, id, "high");
      c.request(updateMsg(tc, 0, "lifter.7.squat1", 180, 1), "UPDATE_ACK");
      // A and B saw seq 1, then went offline. C changes the bar weight.
      c.request(updateMsg(tc, 1, "lifter.7.squat1", 185, 2), "UPDATE_ACK");
      // A comes back with its own buffered change to the same attempt.
      JsonNode rejected = a.request(updateMsg(ta, 1, "lifter.7.squat1", 182.5, 1, "lifter.8.name",
          "Eve", 2), "UPDATE_REJECTED");
      JsonNode r = rejected.at("/updatesRejected/0");
      assertTrue(r.get("conflict").asBoolean());
      assertEquals(1, r.get("localSeqNum").asLong());
      assertEquals(185, r.get("winningValue").asInt());
      assertEquals(2, r.get("serverSeqNum").asLong());
      assertEquals("hq", r.path("winningLocationName").asText(), "the location that set it");
      assertEquals("lifter.7.squat1", r.path("updateKey").asText());
      assertEquals(1, a.all("UPDATE_ACK").get(0).get("updateAcks").size(), "non-conflicting one kept");
      for (int i = 0; i < 5; i++) {
        c.request(updateMsg(tc, 3 + i, "platform.lights." + i, true, 3 + i), "UPDATE_ACK");
      }
      int fromC = c.count();
      JsonNode ack = b.request(updateMsg(tb, 1, "lifter.7.squat1", 190, 1), "UPDATE_ACK");
      long seq = ack.at("/updateAcks/0/serverSeqNum").asLong();
      c.await(fromC, m -> is(m, "UPDATE_RELAY")
          && m.at("/updatesRelayed/0/serverSeqNum").asLong() == seq);
      Map<String, JsonNode> sc = state(c, tc);
      assertEquals(190, sc.get("lifter.7.squat1").asInt());
      assertEquals(sc, state(a, ta));
      assertEquals(sc, state(b, tb));
    }
  }

  /**
   * A location comes back on a new connection (it follows from the head, so it gets no relay of
   * what it missed) with a change that loses: right after the UPDATE_REJECTED it is relayed the
   * standing value, so a client that reads only the seed's UPDATE_RELAY converges without a
   * CLIENT_PULL.
   */
  @Test
  void theLoserIsRelayedTheStandingValueRightAfterItsRejection() throws Exception {
    try (MeetClient hq = new MeetClient(server.port())) {
      JsonNode created = create(hq, "hq", "hq", 3, "low", 1);
      String id = created.get("meetId").asText();
      String tHq = created.get("sessionToken").asText();
      String tLow;
      try (MeetClient before = new MeetClient(server.port())) {
        tLow = join(before, id, "low");
      }
      hq.request(updateMsg(tHq, 0, "lifter.7.squat1", 180, 1), "UPDATE_ACK");
      hq.request(updateMsg(tHq, 1, "lifter.7.squat1", 185, 2), "UPDATE_ACK");
      try (MeetClient low = new MeetClient(server.port())) {
        low.request(updateMsg(tLow, 0, "lifter.7.squat1", 182.5, 1, "lifter.8.name", "Eve", 2),
            "UPDATE_REJECTED");
        int rejectedAt = low.received().indexOf(low.await("UPDATE_REJECTED"));
        JsonNode relay = low.await(rejectedAt + 1, m -> is(m, "UPDATE_RELAY"));
        assertEquals(rejectedAt + 1, low.received().indexOf(relay), "right after the rejection");
        JsonNode standing = relay.at("/updatesRelayed/0");
        assertEquals(1, relay.get("updatesRelayed").size(), "only the key that lost");
        assertEquals("lifter.7.squat1", standing.get("updateKey").asText());
        assertEquals(185, standing.get("updateValue").asInt());
        assertEquals(2, standing.get("serverSeqNum").asLong());
        assertEquals("hq", standing.get("locationName").asText());
        assertFalse(relay.has("pulled"), "pushed, not the answer to a pull");
      }
    }
  }

  @Test
  void equalPriorityConflictKeepsTheFirstValue() throws Exception {
    try (MeetClient a = new MeetClient(server.port());
        MeetClient b = new MeetClient(server.port())) {
      JsonNode created = create(a, "a", "a", 2, "b", 2);
      String ta = created.get("sessionToken").asText();
      String tb = join(b, created.get("meetId").asText(), "b");
      a.request(updateMsg(ta, 0, "k", "first", 1), "UPDATE_ACK");
      JsonNode r = b.request(updateMsg(tb, 0, "k", "second", 1), "UPDATE_REJECTED");
      assertEquals("first", r.at("/updatesRejected/0/winningValue").asText());
      assertEquals("a", r.at("/updatesRejected/0/winningLocationName").asText());
      // Having seen it, B may change it: not a conflict.
      b.request(updateMsg(tb, 1, "k", "second", 2), "UPDATE_ACK");
    }
  }

  @Test
  void threeLocationsWith200InterleavedUpdatesEachConverge() throws Exception {
    String[] names = {"platform-a", "platform-b", "weighin"};
    List<MeetClient> clients = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    MeetClient first = new MeetClient(server.port());
    JsonNode created = create(first, names[0], names[0], 3, names[1], 2, names[2], 1);
    clients.add(first);
    tokens.add(created.get("sessionToken").asText());
    for (int i = 1; i < 3; i++) {
      MeetClient c = new MeetClient(server.port());
      clients.add(c);
      tokens.add(join(c, created.get("meetId").asText(), names[i]));
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        final int n = i;
        runs.add(pool.submit(() -> {
          MeetClient c = clients.get(n);
          for (int u = 1; u <= 200; u++) {
            String key = u % 4 == 0 ? "shared." + (u % 10) : names[n] + "." + u;
            c.send(updateMsg(tokens.get(n), seenSeq(c), key, names[n] + ":" + u, u));
          }
          return null;
        }));
      }
      for (Future<?> f : runs) {
        f.get();
      }
      for (MeetClient c : clients) {
        c.await(0, m -> outcomes(c) == 200);
      }
      Map<String, JsonNode> server = state(first, tokens.get(0));
      for (int i = 0; i < 3; i++) {
        MeetClient c = clients.get(i);
        long head = pull(c, tokens.get(i), 0).get("lastServerSeq").asLong();
        c.await(0, m -> seenSeq(c) >= head);
        assertEquals(server, folded(c), names[i] + " converged from its messages alone");
      }
      assertFalse(server.isEmpty());
    } finally {
      pool.shutdownNow();
      clients.forEach(MeetClient::close);
    }
  }

  /** The highest server seq a client has heard of through acks and relays. */
  private static long seenSeq(MeetClient c) {
    long max = 0;
    for (JsonNode m : c.received()) {
      for (JsonNode x : m.path("updateAcks")) {
        max = Math.max(max, x.get("serverSeqNum").asLong());
      }
      for (JsonNode x : m.path("updatesRelayed")) {
        if (!m.path("pulled").asBoolean()) {
          max = Math.max(max, x.get("serverSeqNum").asLong());
        }
      }
    }
    return max;
  }

  private static int outcomes(MeetClient c) {
    int n = 0;
    for (JsonNode m : c.received()) {
      n += m.path("updateAcks").size() + m.path("updatesRejected").size();
    }
    return n;
  }

  /**
   * A client's state from what it was told, as the JS client keeps it: its own accepted values
   * (from the updates it sent and their acks), relays, and conflict winners; newest seq wins.
   */
  private static Map<String, JsonNode> folded(MeetClient c) {
    Map<String, Long> seqs = new HashMap<>();
    Map<String, JsonNode> values = new HashMap<>();
    for (JsonNode m : c.received()) {
      for (JsonNode x : m.path("updatesRelayed")) {
        if (!m.path("pulled").asBoolean()) {
          put(seqs, values, x.get("updateKey").asText(), x.get("updateValue"),
              x.get("serverSeqNum").asLong());
        }
      }
      for (JsonNode x : m.path("updatesRejected")) {
        if (x.path("conflict").asBoolean()) {
          put(seqs, values, x.get("updateKey").asText(), x.get("winningValue"),
              x.get("serverSeqNum").asLong());
        }
      }
      for (JsonNode x : m.path("updateAcks")) {
        long local = x.get("localSeqNum").asLong();
        put(seqs, values, c.sentKey(local), c.sentValue(local), x.get("serverSeqNum").asLong());
      }
    }
    return new java.util.TreeMap<>(values);
  }

  private static void put(Map<String, Long> seqs, Map<String, JsonNode> values, String key,
      JsonNode value, long seq) {
    if (seqs.getOrDefault(key, -1L) < seq) {
      seqs.put(key, seq);
      values.put(key, value);
    }
  }
}
