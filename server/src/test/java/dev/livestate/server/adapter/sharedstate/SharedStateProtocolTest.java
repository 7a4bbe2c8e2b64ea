package dev.livestate.server.adapter.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every message of the shared-state protocol, against the real server with raw WebSockets. */
class SharedStateProtocolTest {
  @RegisterExtension
  static final TestServer server =
      TestServer.perClass(Map.of("store", "memory", "sharedstate.max-message", "64k"));
  static int counter;

  static SharedStateClient client() throws Exception {
    return SharedStateClient.connect(server);
  }

  static synchronized String fresh() {
    return "/app" + (++counter) + "/items/coll";
  }

  static Map<String, Object> item(String id, Object data) {
    return Map.of("id", id, "data", data);
  }

  /** The collection's items by id, read with GET. */
  static Map<String, JsonNode> state(SharedStateClient c, String path) throws Exception {
    JsonNode reply = c.get(path);
    assertTrue(reply.path("ok").asBoolean(), reply.toString());
    Map<String, JsonNode> m = new TreeMap<>();
    reply.path("data").forEach(i -> m.put(i.path("id").asText(), i));
    return m;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.path("id").asText()));
    return out;
  }

  @Test
  void getRootListsTheServices() throws Exception {
    try (SharedStateClient c = client()) {
      JsonNode r = c.get("/");
      assertEquals("REPLY", r.path("type").asText());
      assertEquals("GET", r.path("cmd").asText());
      assertTrue(r.path("ok").asBoolean());
      assertEquals(List.of("items", "mitems"), texts(r.path("data")));
    }
  }

  @Test
  void getClockAnswersEpochSecondsAsAFloat() throws Exception {
    try (SharedStateClient c = client()) {
      JsonNode r = c.get("/clock");
      assertTrue(r.path("data").isFloatingPointNumber(), r.toString());
      assertEquals(System.currentTimeMillis() / 1000.0, r.path("data").asDouble(), 5.0);
    }
  }

  @Test
  void tunnelOfAnyJsonTypeIsEchoed() throws Exception {
    try (SharedStateClient c = client()) {
      c.sendText("{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/\",\"tunnel\":\"abc\"}");
      JsonNode r = c.await(n -> "abc".equals(n.path("tunnel").asText()));
      assertTrue(r.path("ok").asBoolean());
    }
  }

  @Test
  void putSubsRepliesTheSubsAndSendsEachPathItsFullState() throws Exception {
    String a = fresh();
    String b = fresh();
    try (SharedStateClient w = client(); SharedStateClient c = client()) {
      w.put(a, Map.of("insert", List.of(item("x", 1), item("y", 2))));
      JsonNode reply = c.put("/subs", Map.of("insert", List.of(List.of(a, Map.of()),
          List.of(b, Map.of("k", 1)))));
      assertTrue(reply.path("ok").asBoolean());
      assertEquals(a, reply.path("data").get(0).get(0).asText());
      assertEquals(1, reply.path("data").get(1).get(1).path("k").asInt());
      JsonNode ra = c.awaitFrom(0, n -> SharedStateClient.isNotify(n, a));
      assertTrue(ra.path("data").path("reset").asBoolean());
      assertEquals(List.of(), texts(ra.path("data").path("remove")));
      assertEquals(List.of("x", "y"), texts(ra.path("data").path("insert")).stream().sorted().toList());
      JsonNode rb = c.awaitFrom(0, n -> SharedStateClient.isNotify(n, b));
      assertEquals(0, rb.path("data").path("insert").size());
      JsonNode subs = c.get("/subs");
      assertEquals(2, subs.path("data").size());
    }
  }

  @Test
  void putSubsReplacesSubscriptions() throws Exception {
    String a = fresh();
    String b = fresh();
    try (SharedStateClient w = client(); SharedStateClient c = client()) {
      c.subscribe(a);
      c.subscribe(b);
      w.put(a, Map.of("insert", List.of(item("gone", 1))));
      w.put(b, Map.of("insert", List.of(item("here", 1))));
      c.awaitFrom(0, n -> SharedStateClient.isNotify(n, b)
          && !n.path("data").path("reset").asBoolean());
      assertTrue(c.notifications().stream().noneMatch(n -> SharedStateClient.isNotify(n, a)
          && !n.path("data").path("reset").asBoolean()), "a was replaced by b");
      assertEquals(1, c.get("/subs").path("data").size());
      c.put("/subs", Map.of("insert", List.of()));
      assertEquals(0, c.get("/subs").path("data").size());
    }
  }

  @Test
  void everyRowOfTheUpdateTable() throws Exception {
    String p = fresh();
    try (SharedStateClient w = client(); SharedStateClient r = client()) {
      w.subscribe(p);
      r.subscribe(p);
      // NOOP
      JsonNode noop = w.put(p, Map.of("remove", List.of(), "insert", List.of(), "reset", false));
      assertTrue(noop.path("ok").asBoolean());
      assertEquals(0, noop.path("data").asInt());
      assertEquals(Map.of(), state(w, p));
      // INSERT ITEMS
      int mark = r.notifications().size();
      JsonNode ins = w.put(p, Map.of("insert", List.of(item("a", 1), item("b", 2), item("c", 3))));
      assertEquals(3, ins.path("data").asInt());
      JsonNode n1 = r.awaitFrom(mark, n -> SharedStateClient.isNotify(n, p));
      assertEquals(List.of("a", "b", "c"), texts(n1.path("data").path("insert")));
      assertFalse(n1.path("data").path("reset").asBoolean());
      assertTrue(n1.path("data").has("remove"));
      assertEquals(List.of("a", "b", "c"), List.copyOf(state(r, p).keySet()));
      // REPLACE (insert with an existing id)
      w.put(p, Map.of("insert", List.of(item("a", 10))));
      assertEquals(10, state(r, p).get("a").path("data").asInt());
      // REMOVE ITEMS
      mark = r.notifications().size();
      JsonNode rem = w.put(p, Map.of("remove", List.of("b")));
      assertEquals(1, rem.path("data").asInt());
      JsonNode n2 = r.awaitFrom(mark, n -> SharedStateClient.isNotify(n, p));
      assertEquals(List.of("b"), texts(n2.path("data").path("remove")));
      assertEquals(0, n2.path("data").path("insert").size());
      assertEquals(List.of("a", "c"), List.copyOf(state(r, p).keySet()));
      // REMOVE + INSERT ITEMS (removal first: an id in both ends up inserted)
      mark = r.notifications().size();
      JsonNode both = w.put(p, Map.of("remove", List.of("a", "c"),
          "insert", List.of(item("c", 30), item("d", 4))));
      assertEquals(3, both.path("data").asInt());
      JsonNode n3 = r.awaitFrom(mark, n -> SharedStateClient.isNotify(n, p));
      assertEquals(List.of("a"), texts(n3.path("data").path("remove")));
      assertEquals(List.of("c", "d"), texts(n3.path("data").path("insert")));
      Map<String, JsonNode> s = state(r, p);
      assertEquals(List.of("c", "d"), List.copyOf(s.keySet()));
      assertEquals(30, s.get("c").path("data").asInt());
      // RESET INSERT (remove is ignored)
      mark = r.notifications().size();
      JsonNode ri = w.put(p, Map.of("reset", true, "remove", List.of("zzz"),
          "insert", List.of(item("e", 5))));
      assertEquals(1, ri.path("data").asInt());
      JsonNode n4 = r.awaitFrom(mark, n -> SharedStateClient.isNotify(n, p));
      assertTrue(n4.path("data").path("reset").asBoolean());
      assertEquals(List.of(), texts(n4.path("data").path("remove")));
      assertEquals(List.of("e"), texts(n4.path("data").path("insert")));
      assertEquals(List.of("e"), List.copyOf(state(r, p).keySet()));
      // RESET
      mark = w.notifications().size();
      w.put(p, Map.of("insert", List.of(), "reset", true));
      JsonNode n5 = w.awaitFrom(mark, n -> SharedStateClient.isNotify(n, p));
      assertTrue(n5.path("data").path("reset").asBoolean(), "the writer is notified too");
      assertEquals(Map.of(), state(r, p));
    }
  }

  @Test
  void itemsKeepTheirJsonExactly() throws Exception {
    String p = fresh();
    try (SharedStateClient w = client()) {
      w.put(p, Map.of("insert", List.of(Map.of("id", "x", "nested",
          Map.of("list", List.of(1, "two", true)), "u", "\u00e6\u00f8\u00e5 \ud83d\ude00"))));
      JsonNode x = state(w, p).get("x");
      assertEquals("two", x.path("nested").path("list").get(1).asText());
      assertEquals("\u00e6\u00f8\u00e5 \ud83d\ude00", x.path("u").asText());
    }
  }

  @Test
  void trailingSlashAndRepeatedSlashesReachTheSameCollection() throws Exception {
    String p = fresh();
    String spelled = p + "/";
    try (SharedStateClient w = client(); SharedStateClient r = client()) {
      r.subscribe(spelled);
      int mark = r.notifications().size();
      w.put(p.replace("/items/", "//items/"), Map.of("insert", List.of(item("a", 1))));
      JsonNode n = r.awaitFrom(mark, m -> SharedStateClient.isNotify(m, spelled));
      assertEquals("a", n.path("data").path("insert").get(0).path("id").asText());
      assertEquals(1, state(w, spelled).size());
      // the original client's /resources prefix names the same collection
      assertEquals(1, state(w, "/resources" + p).size());
    }
  }

  @Test
  void acceptsTheOriginalClientsDataFieldForArg() throws Exception {
    String p = fresh();
    try (SharedStateClient w = client()) {
      w.sendText("{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"" + p
          + "\",\"data\":{\"insert\":[{\"id\":\"q\"}]},\"tunnel\":7}");
      JsonNode r = w.await(n -> n.path("tunnel").asInt() == 7);
      assertTrue(r.path("ok").asBoolean(), r.toString());
      assertEquals(1, state(w, p).size());
    }
  }

  @Test
  void badInputIsRefusedWithAReasonAndDisturbsNoOne() throws Exception {
    String p = fresh();
    try (SharedStateClient bad = client(); SharedStateClient r = client()) {
      r.subscribe(p);
      bad.sendText("{not json");
      bad.sendText("[1,2]");
      assertRefused(bad, "{\"type\":\"REQUEST\",\"cmd\":\"DELETE\",\"path\":\"/\",\"tunnel\":1}",
          "unknown cmd");
      assertRefused(bad, "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"tunnel\":2}", "missing path");
      assertRefused(bad, "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"" + p + "\",\"tunnel\":3}",
          "missing arg");
      assertRefused(bad, "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/app/items\",\"tunnel\":4}",
          "invalid path");
      assertRefused(bad, "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"" + p
          + "\",\"arg\":{\"insert\":[{\"data\":1}]},\"tunnel\":5}", "id");
      assertRefused(bad, "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"" + p
          + "\",\"arg\":{\"insert\":[{\"id\":7}]},\"tunnel\":6}", "id");
      assertRefused(bad, "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/a/nosuch/c\",\"tunnel\":7}",
          "no service");
      assertRefused(bad, "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/subs\",\"arg\":"
          + "{\"insert\":[[\"/a/nosuch/c\",{}]]},\"tunnel\":8}", "no service");
      assertRefused(bad, "{\"type\":\"NOISE\",\"cmd\":\"GET\",\"path\":\"/\",\"tunnel\":9}", "REQUEST");
      String big = "x".repeat(70_000);
      assertRefused(bad, "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"" + p
          + "\",\"arg\":{\"insert\":[{\"id\":\"big\",\"v\":\"" + big + "\"}]},\"tunnel\":10}",
          "too large");
      assertFalse(bad.isClosed());
      // the bad client's connection still works, and the other client still gets updates
      int mark = r.notifications().size();
      assertTrue(bad.put(p, Map.of("insert", List.of(item("ok", 1)))).path("ok").asBoolean());
      r.awaitFrom(mark, n -> SharedStateClient.isNotify(n, p));
      assertEquals(List.of("ok"), List.copyOf(state(r, p).keySet()));
    }
  }

  /** As the original: the reply to a path naming no service carries the data "no service". */
  @Test
  void aPathNamingNoServiceIsAnsweredNoService() throws Exception {
    try (SharedStateClient c = client()) {
      c.sendText("{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/a/nosuch/c\",\"tunnel\":1}");
      assertEquals(SharedStateClient.JSON.readTree("{\"type\":\"REPLY\",\"cmd\":\"GET\","
          + "\"tunnel\":1,\"ok\":false,\"data\":\"no service\"}"),
          c.await(n -> n.path("tunnel").asInt() == 1));
      c.sendText("{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/a/nosuch/c\","
          + "\"arg\":{\"insert\":[{\"id\":\"x\"}]},\"tunnel\":2}");
      assertEquals(SharedStateClient.JSON.readTree("{\"type\":\"REPLY\",\"cmd\":\"PUT\","
          + "\"tunnel\":2,\"ok\":false,\"data\":\"no service\"}"),
          c.await(n -> n.path("tunnel").asInt() == 2));
    }
  }

  private static void assertRefused(SharedStateClient c, String text, String reason)
      throws Exception {
    JsonNode tunnel = SharedStateClient.JSON.readTree(text).path("tunnel");
    c.sendText(text);
    JsonNode r = c.await(n -> "REPLY".equals(n.path("type").asText())
        && n.path("tunnel").equals(tunnel));
    assertFalse(r.path("ok").asBoolean(), r.toString());
    assertTrue(r.path("data").asText().contains(reason), r.toString());
  }

  @Test
  void aClientClosingWithAnUnusualCodeStopsNoOnesNotifications() throws Exception {
    String p = fresh();
    try (SharedStateClient w = client(); SharedStateClient r = client()) {
      r.subscribe(p);
      SharedStateClient odd = client();
      odd.subscribe(p);
      odd.ws.sendClose(4321, "odd");
      SharedStateClient aborted = client();
      aborted.subscribe(p);
      aborted.ws.abort();
      for (int i = 0; i < 20; i++) {
        int mark = r.notifications().size();
        w.put(p, Map.of("insert", List.of(item("k" + i, i))));
        r.awaitFrom(mark, n -> SharedStateClient.isNotify(n, p));
      }
      assertEquals(20, state(r, p).size());
    }
  }

  @Test
  void aMessageAboveTheServerLimitClosesOnlyItsOwnConnection() throws Exception {
    String p = fresh();
    try (SharedStateClient w = client(); SharedStateClient r = client()) {
      r.subscribe(p);
      SharedStateClient huge = client();
      huge.ws.sendLater("{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/\",\"pad\":\""
          + "x".repeat(5 * 1024 * 1024) + "\"}");
      // too large to read at all: that connection is closed (1009); everyone else carries on
      long deadline = System.currentTimeMillis() + 10_000;
      while (!huge.isClosed() && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(huge.isClosed(), "the sender of an unreadable message is disconnected");
      int mark = r.notifications().size();
      w.put(p, Map.of("insert", List.of(item("still", 1))));
      r.awaitFrom(mark, n -> SharedStateClient.isNotify(n, p));
    }
  }

  @Test
  void releasedPathGetsNoMoreNotifications() throws Exception {
    String p = fresh();
    String q = fresh();
    try (SharedStateClient w = client(); SharedStateClient r = client()) {
      r.subscribe(p, q);
      r.subscribe(q);
      w.put(p, Map.of("insert", List.of(item("a", 1))));
      int mark = r.notifications().size();
      w.put(q, Map.of("insert", List.of(item("b", 1))));
      r.awaitFrom(mark, n -> SharedStateClient.isNotify(n, q));
      assertTrue(r.notifications().stream().noneMatch(n -> SharedStateClient.isNotify(n, p)
          && n.path("data").path("insert").size() > 0));
    }
  }

  @Test
  void plainHttpOnTheEndpointIsTold() throws Exception {
    var res = server.get("/sharedstate");
    assertEquals(400, res.statusCode());
  }
}
