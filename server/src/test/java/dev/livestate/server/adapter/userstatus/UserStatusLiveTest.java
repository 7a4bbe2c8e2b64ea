package dev.livestate.server.adapter.userstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.server.auth.TestTokens;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket push, onlineusers, other protocols on the same stream, TTL and restarts. */
class UserStatusLiveTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static String online(TestServer s, String site) throws Exception {
    return s.get("/logs/onlineusers?site=" + site).body();
  }

  @Test
  void aSubscriberGetsEachMessageOfItsSiteWithin100msAndOtherSitesNothing() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of())) {
      WebSocketClient tst = s.socket("/logs/ws?site=tst");
      WebSocketClient other = s.socket("/logs/ws?site=other");
      Await.until("both online", () -> {
        try {
          return online(s, "tst").contains("ConnectionID") && online(s, "other").contains("ConnectionID");
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      s.post("/logs/newlog", "{\"site\":\"tst\",\"log_message\":\"warm-up\"}");
      tst.next();
      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        long sent = System.nanoTime();
        s.post("/logs/newlog", "{\"site\":\"tst\",\"log_message\":\"line " + i
            + "\\nsecond line\",\"log_level\":\"warning\",\"timestamp\":1604514063}");
        JsonNode push = tst.next();
        latencies.add(TimeUnit.NANOSECONDS.toMillis(tst.arrivedAt(push) - sent));
        assertEquals(JSON.readTree("{\"site\":\"tst\",\"message\":\"line " + i
            + "\\nsecond line\",\"log_level\":\"warning\",\"timestamp\":\"1604514063\"}"), push);
      }
      latencies.sort(null);
      assertTrue(latencies.get(latencies.size() - 1) <= 100, "push latencies (ms): " + latencies);
      // The other site's subscriber heard nothing; a message of its own arrives first.
      s.post("/logs/newlog", "{\"site\":\"other\",\"log_message\":\"for other\"}");
      assertEquals("for other", other.next().get("message").textValue());
      assertNull(other.poll());
      tst.close();
      other.close();
    }
  }

  @Test
  void onlineUsersListsTheSitesConnectionsUntilTheyClose() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of())) {
      WebSocketClient a = s.socket("/logs/ws?site=obs");
      WebSocketClient b = s.socket("/logs?site=obs");
      WebSocketClient c = s.socket("/logs/ws?site=elsewhere");
      Await.until("two connections", () -> count(s, "obs") == 2);
      JsonNode list = JSON.readTree(online(s, "obs"));
      for (JsonNode n : list) {
        assertEquals(1, n.size(), n.toString());
        assertTrue(n.get("ConnectionID").textValue().startsWith("ws-"));
      }
      Await.until("elsewhere", () -> count(s, "elsewhere") == 1);
      a.close();
      Await.until("one left", () -> count(s, "obs") == 1);
      b.close();
      Await.until("none left", () -> count(s, "obs") == 0);
      assertEquals(1, count(s, "elsewhere"));
      c.close();
    }
  }

  static int count(TestServer s, String site) {
    try {
      return JSON.readTree(online(s, site)).size();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  @Test
  void newlogOverTheWebSocketIsPublishedAndBadActionsGetAnErrorOnly() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("userstatus.max-body", "1k"))) {
      WebSocketClient poster = s.socket("/logs/ws?site=saf");
      WebSocketClient viewer = s.socket("/logs/ws?site=saf");
      Await.until("both online", () -> count(s, "saf") == 2);
      poster.send("{\"action\":\"dance\"}");
      assertEquals("action", poster.next().get("field").textValue());
      poster.send("{\"action\":\"newlog\",\"site\":\"saf\",\"log_message\":\"x\",\"log_level\":\"loud\"}");
      assertEquals("log_level", poster.next().get("field").textValue());
      poster.send("{oops");
      assertTrue(poster.next().get("error").textValue().contains("JSON"));
      poster.send("{\"action\":\"newlog\",\"site\":\"saf\",\"log_message\":\"" + "y".repeat(2000) + "\"}");
      assertTrue(poster.next().get("error").textValue().contains("larger"));
      poster.send("{\"action\":\"newlog\",\"site\":\"saf\",\"log_message\":\"from ws\",\"timestamp\":1700000000}");
      JsonNode push = viewer.next();
      assertEquals("from ws", push.get("message").textValue());
      assertEquals("from ws", poster.next().get("message").textValue());
      assertEquals("[{\"message\":\"from ws\",\"log_level\":\"info\",\"timestamp\":1700000000}]",
          s.get("/logs/recent-logs?site=saf&after_time=0").body());
      poster.close();
      viewer.close();
    }
  }

  @Test
  void aWebSocketWithoutSiteIsRefused() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of())) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> s.socket("/logs/ws"));
      assertEquals(400, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
      assertEquals(400, s.get("/logs/ws?site=x").statusCode());
    }
  }

  /** A site's room belongs to the status surface: the native doors reach it with an operator's token. */
  @Test
  void theNativeHttpApiAndWebSocketShareTheSitesStream() throws Exception {
    String admin = TestTokens.admin("operator");
    String[] bearer = TestTokens.bearer(admin);
    try (TestServer s = TestServer.start(dir, TestTokens.tokenMode())) {
      WebSocketClient sub = s.socket("/logs/ws?site=mix");
      Await.until("online", () -> count(s, "mix") == 1);
      WebSocketClient nat = s.socket("/ws");
      nat.send("{\"type\":\"hello\",\"id\":0,\"token\":\"" + admin + "\"}");
      assertEquals("welcome", nat.next().get("type").textValue());
      nat.send("{\"type\":\"join\",\"id\":1,\"room\":\"userstatus:mix\"}");
      assertEquals("joined", nat.next().get("type").textValue());

      // HTTP stream API -> userstatus subscriber, mapped from a foreign body.
      assertEquals(201, s.post("/api/rooms/userstatus:mix/stream?time=1700000000500",
          "{\"message\":\"via api\",\"log_level\":\"error\"}", bearer).statusCode());
      assertEquals(JSON.readTree("{\"site\":\"mix\",\"message\":\"via api\",\"log_level\":\"error\","
          + "\"timestamp\":\"1700000000\"}"), sub.next());
      s.post("/api/rooms/userstatus:mix/stream?time=1700000001000", "42", bearer);
      assertEquals("42", sub.next().get("message").textValue());
      drainUntil(nat, "message", 2);

      // Native publish -> userstatus subscriber.
      nat.send("{\"type\":\"publish\",\"id\":2,\"room\":\"userstatus:mix\",\"time\":1700000002000,"
          + "\"body\":\"plain text\"}");
      JsonNode p = sub.next();
      assertEquals("plain text", p.get("message").textValue());
      assertEquals("1700000002", p.get("timestamp").textValue());
      drainUntil(nat, "message", 1);

      // newlog -> native subscriber and the HTTP stream API, in the stored shape.
      s.post("/logs/newlog", "{\"site\":\"mix\",\"log_message\":\"hello native\",\"timestamp\":1700000003}");
      JsonNode event = drainUntil(nat, "message", 1).get(0);
      assertEquals(JSON.readTree("{\"site\":\"mix\",\"message\":\"hello native\",\"log_level\":\"info\","
          + "\"timestamp\":1700000003}"), event.get("message").get("body"));
      JsonNode stream =
          JSON.readTree(s.send("GET", "/api/rooms/userstatus:mix/stream", bearer).body());
      assertEquals(4, stream.get("messages").size(), stream.toString());
      assertEquals(4, JSON.readTree(s.get("/logs/recent-logs?site=mix&after_time=0").body()).size());
      sub.close();
      nat.close();
    }
  }

  /** Reads native messages until {@code n} of {@code type} arrived (skipping other types). */
  static List<JsonNode> drainUntil(WebSocketClient s, String type, int n) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    while (found.size() < n) {
      JsonNode m = s.next();
      if (type.equals(m.path("type").textValue())) {
        found.add(m);
      }
    }
    return found;
  }

  @Test
  void messagesPastTheTtlAreNeverReturnedAndArePurged() throws Exception {
    try (TestServer s = TestServer.start(dir, TestTokens.tokenMode("userstatus.ttl", "1s"))) {
      s.post("/logs/newlog", "{\"site\":\"ttl\",\"log_message\":\"short-lived\"}");
      assertEquals(1, JSON.readTree(s.get("/logs/recent-logs?site=ttl&after_time=0").body()).size());
      Await.until("expiry", () -> {
        try {
          return s.get("/logs/recent-logs?site=ttl&after_time=0").body().equals("[]");
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      assertEquals(0, JSON.readTree(s.send("GET", "/api/rooms/userstatus:ttl/stream",
          "Authorization", "Bearer " + TestTokens.admin("operator")).body())
          .get("messages").size());
      s.server().engine().expireStored(); // what the server's background timer does
      s.post("/logs/newlog", "{\"site\":\"ttl\",\"log_message\":\"fresh\"}");
      assertEquals("fresh", JSON.readTree(s.get("/logs/recent-logs?site=ttl&after_time=0").body())
          .get(0).get("message").textValue());
    }
  }

  @Test
  void messagesSurviveARestartOnTheSameDataDirectory() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of())) {
      assertEquals(200, s.post("/logs/newlog",
          "{\"site\":\"durable\",\"log_message\":\"kept\",\"timestamp\":1700000000}").statusCode());
    }
    try (TestServer s = TestServer.start(dir, Map.of())) {
      assertEquals("[{\"message\":\"kept\",\"log_level\":\"info\",\"timestamp\":1700000000}]",
          s.get("/logs/recent-logs?site=durable&after_time=0").body());
    }
  }

  @Test
  void thePathPrefixIsConfigurable() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("userstatus.path", "/dev"))) {
      assertEquals(200, s.post("/dev/newlog", "{\"site\":\"p\",\"log_message\":\"m\"}").statusCode());
      assertEquals(1, JSON.readTree(s.get("/dev/recent-logs?site=p&after_time=0").body()).size());
      assertEquals(404, s.post("/logs/newlog", "{\"site\":\"p\",\"log_message\":\"m\"}").statusCode());
    }
  }
}
