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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code userstatus.access=token}: {@code Authorization: Bearer} on HTTP, {@code ?token=} on
 * the WebSocket, checked against grants on {@code userstatus:<site>} (reader reads, writer
 * posts); and {@code limits.changes-per-second} on posts, open or closed. Refusals are the
 * surface's {@code {"error"}} body with 401, 403 or 429; a WebSocket stays open.
 */
class UserStatusAccessTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String POST = "{\"site\":\"mrc\",\"log_message\":\"dome open\"}";

  private TestServer s;

  private void start(Map<String, String> settings) throws Exception {
    s = TestServer.start(settings);
  }

  private void closed() throws Exception {
    start(TestTokens.tokenMode("userstatus.access", "token", "store", "memory"));
  }

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  static void assertRefused(int status, HttpResponse<String> r) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).get("error").isTextual(), r.body());
  }

  @Test
  void withoutATokenNothingIsPostedNorRead() throws Exception {
    closed();
    HttpResponse<String> post = s.post("/logs/newlog", POST);
    assertRefused(401, post);
    assertEquals("Bearer", post.headers().firstValue("WWW-Authenticate").orElse(null));
    assertRefused(401, s.get("/logs/recent-logs?site=mrc&after_time=0"));
    assertRefused(401, s.get("/logs/onlineusers?site=mrc"));
    assertRefused(401, s.post("/logs/newlog", POST, bearer("not a token")));
    assertEquals(401, s.upgradeStatus("/logs/ws?site=mrc"));
  }

  @Test
  void aTokenForAnotherSiteIsRefused() throws Exception {
    closed();
    String saf = token("obs", grant("userstatus:saf", Role.WRITER, 0));
    assertRefused(403, s.post("/logs/newlog", POST, bearer(saf)));
    assertRefused(403, s.send("GET", "/logs/recent-logs?site=mrc&after_time=0", bearer(saf)));
    assertRefused(403, s.send("GET", "/logs/onlineusers?site=mrc", bearer(saf)));
    assertEquals(403, s.upgradeStatus("/logs/ws?site=mrc&token=" + saf));
    assertEquals(200, s.post("/logs/newlog", POST.replace("mrc", "saf"), bearer(saf)).statusCode());
  }

  @Test
  void aReaderReadsButDoesNotPostOverHttpOrTheWebSocket() throws Exception {
    closed();
    String reader = token("page", grant("userstatus:mrc", Role.READER, 0));
    assertRefused(403, s.post("/logs/newlog", POST, bearer(reader)));
    assertEquals("[]", s.send("GET", "/logs/recent-logs?site=mrc&after_time=0", bearer(reader)).body());
    WebSocketClient ws = s.socket("/logs/ws?site=mrc&token=" + reader);
    ws.send("{\"action\":\"newlog\",\"site\":\"mrc\",\"log_message\":\"forged\"}");
    JsonNode refused = ws.next();
    assertTrue(refused.get("error").asText().contains("reader"), refused.toString());
    assertEquals("[]", s.send("GET", "/logs/recent-logs?site=mrc&after_time=0", bearer(reader)).body());
    ws.close();
  }

  @Test
  void theRightGrantsPostAndReadOverHttpAndTheWebSocket() throws Exception {
    closed();
    String observatory = token("obs", grant("userstatus:mrc", Role.WRITER, 0));
    String page = token("page", grant("userstatus:*", Role.READER, 0));
    WebSocketClient ws = s.socket("/logs/ws?site=mrc&token=" + page);
    Await.until("online", () -> s.send("GET", "/logs/onlineusers?site=mrc", bearer(page))
        .body().contains("ConnectionID"));
    assertEquals(200, s.post("/logs/newlog", POST, bearer(observatory)).statusCode());
    assertEquals("dome open", ws.next().get("message").asText());
    assertTrue(s.send("GET", "/logs/recent-logs?site=mrc&after_time=0", bearer(page)).body()
        .contains("dome open"));
    ws.close();
  }

  @Test
  void aClientPostingTooFastGets429OverHttpAndAnErrorOverTheWebSocket() throws Exception {
    start(Map.of("store", "memory", "limits.changes-per-second", "1"));
    int refused = 0;
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = s.post("/logs/newlog", POST);
      if (r.statusCode() == 429) {
        assertRefused(429, r);
        refused++;
      }
    }
    assertTrue(refused > 0, "some of ten posts in a burst of two are refused");
    WebSocketClient ws = s.socket("/logs/ws?site=mrc");
    for (int i = 0; i < 10; i++) {
      ws.send("{\"action\":\"newlog\",\"site\":\"ws\",\"log_message\":\"" + i + "\"}");
    }
    JsonNode tooFast = ws.next();
    assertTrue(tooFast.get("error").asText().contains("slow down"), tooFast.toString());
    assertTrue(ws.isOpen(), "the WebSocket stays open");
    ws.close();
  }
}
