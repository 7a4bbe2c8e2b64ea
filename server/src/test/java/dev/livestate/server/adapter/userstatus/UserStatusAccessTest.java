package dev.livestate.server.adapter.userstatus;

import static dev.livestate.server.auth.TestTokens.bearer;
import static dev.livestate.server.auth.TestTokens.grant;
import static dev.livestate.server.auth.TestTokens.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.room.Role;
import dev.livestate.server.TestServer;
import dev.livestate.server.auth.TestTokens;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code userstatus.access=token}: {@code Authorization: Bearer} on HTTP, {@code ?token=} on
 * the WebSocket, checked against grants on {@code userstatus:<site>} (reader reads, writer
 * posts); and {@code limits.changes-per-second} on posts, open or closed. Refusals are the
 * surface's {@code {"error"}} body with 401, 403 or 429; a WebSocket stays open. Each test uses
 * sites of its own.
 */
class UserStatusAccessTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final TestServer closed =
      TestServer.perClass(TestTokens.tokenMode("userstatus.access", "token", "store", "memory"));

  static String post(String site) {
    return "{\"site\":\"" + site + "\",\"log_message\":\"dome open\"}";
  }

  static String recent(String site) {
    return "/logs/recent-logs?site=" + site + "&after_time=0";
  }

  static void assertRefused(int status, HttpResponse<String> r) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).get("error").isTextual(), r.body());
  }

  @Test
  void withoutATokenNothingIsPostedNorRead() throws Exception {
    HttpResponse<String> post = closed.post("/logs/newlog", post("none-1"));
    assertRefused(401, post);
    assertEquals("Bearer", post.headers().firstValue("WWW-Authenticate").orElse(null));
    assertRefused(401, closed.get(recent("none-1")));
    assertRefused(401, closed.get("/logs/onlineusers?site=none-1"));
    assertRefused(401, closed.post("/logs/newlog", post("none-1"), bearer("not a token")));
    assertEquals(401, closed.upgradeStatus("/logs/ws?site=none-1"));
  }

  @Test
  void aTokenForAnotherSiteIsRefused() throws Exception {
    String other = token("obs", grant("userstatus:other-2", Role.WRITER, 0));
    assertRefused(403, closed.post("/logs/newlog", post("own-2"), bearer(other)));
    assertRefused(403, closed.send("GET", recent("own-2"), bearer(other)));
    assertRefused(403, closed.send("GET", "/logs/onlineusers?site=own-2", bearer(other)));
    assertEquals(403, closed.upgradeStatus("/logs/ws?site=own-2&token=" + other));
    assertEquals(200, closed.post("/logs/newlog", post("other-2"), bearer(other)).statusCode());
  }

  @Test
  void aReaderReadsButDoesNotPostOverHttpOrTheWebSocket() throws Exception {
    String reader = token("page", grant("userstatus:read-3", Role.READER, 0));
    assertRefused(403, closed.post("/logs/newlog", post("read-3"), bearer(reader)));
    assertEquals("[]", closed.send("GET", recent("read-3"), bearer(reader)).body());
    try (WebSocketClient ws = closed.socket("/logs/ws?site=read-3&token=" + reader)) {
      ws.send("{\"action\":\"newlog\",\"site\":\"read-3\",\"log_message\":\"forged\"}");
      JsonNode refused = ws.next();
      assertTrue(refused.get("error").asText().contains("reader"), refused.toString());
    }
    assertEquals("[]", closed.send("GET", recent("read-3"), bearer(reader)).body());
  }

  @Test
  void theRightGrantsPostAndReadOverHttpAndTheWebSocket() throws Exception {
    String observatory = token("obs", grant("userstatus:obs-4", Role.WRITER, 0));
    String page = token("page", grant("userstatus:*", Role.READER, 0));
    try (WebSocketClient ws = closed.socket("/logs/ws?site=obs-4&token=" + page)) {
      Await.until("online", () -> closed.send("GET", "/logs/onlineusers?site=obs-4",
          bearer(page)).body().contains("ConnectionID"));
      assertEquals(200, closed.post("/logs/newlog", post("obs-4"), bearer(observatory))
          .statusCode());
      assertEquals("dome open", ws.next().get("message").asText());
    }
    assertTrue(closed.send("GET", recent("obs-4"), bearer(page)).body().contains("dome open"));
  }

  @Test
  void aClientPostingTooFastGets429OverHttpAndAnErrorOverTheWebSocket() throws Exception {
    try (TestServer open = TestServer.start(Map.of("store", "memory",
        "limits.changes-per-second", "1"))) {
      int refused = 0;
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> r = open.post("/logs/newlog", post("flood"));
        if (r.statusCode() == 429) {
          assertRefused(429, r);
          refused++;
        }
      }
      assertTrue(refused > 0, "some of ten posts in a burst of two are refused");
      try (WebSocketClient ws = open.socket("/logs/ws?site=listening")) {
        for (int i = 0; i < 10; i++) {
          ws.send("{\"action\":\"newlog\",\"site\":\"flood\",\"log_message\":\"" + i + "\"}");
        }
        JsonNode tooFast = ws.next();
        assertTrue(tooFast.get("error").asText().contains("slow down"), tooFast.toString());
        assertTrue(ws.isOpen(), "the WebSocket stays open");
      }
    }
  }
}
