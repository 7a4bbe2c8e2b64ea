package dev.livestate.server.adapter.userstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /newlog, GET /recent-logs, GET /onlineusers: shapes, defaults, validation, CORS. */
class UserStatusHttpTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("userstatus.max-body", "2k"));

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static HttpResponse<String> newLog(String body) throws Exception {
    return server.post("/logs/newlog", body);
  }

  @Test
  void postedMessagesComeBackChronologicallyWithOnlyTheOriginalFields() throws Exception {
    assertEquals(200, newLog("{\"site\":\"chrono\",\"log_message\":\"third\",\"log_level\":\"error\",\"timestamp\":1700000300}").statusCode());
    assertEquals(200, newLog("{\"site\":\"chrono\",\"log_message\":\"first\",\"log_level\":\"debug\",\"timestamp\":1700000100}").statusCode());
    HttpResponse<String> r = newLog("{\"site\":\"chrono\",\"log_message\":\"second\",\"log_level\":\"critical\",\"timestamp\":1700000200}");
    assertEquals(200, r.statusCode());
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

    HttpResponse<String> recent = server.get("/logs/recent-logs?site=chrono&after_time=1700000000");
    assertEquals(200, recent.statusCode());
    assertEquals("*", recent.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertEquals(JSON.readTree("["
        + "{\"message\":\"first\",\"log_level\":\"debug\",\"timestamp\":1700000100},"
        + "{\"message\":\"second\",\"log_level\":\"critical\",\"timestamp\":1700000200},"
        + "{\"message\":\"third\",\"log_level\":\"error\",\"timestamp\":1700000300}]"), json(recent));
  }

  @Test
  void afterTimeIsExclusiveAndMayBeDecimal() throws Exception {
    newLog("{\"site\":\"after\",\"log_message\":\"a\",\"timestamp\":1700000100}");
    newLog("{\"site\":\"after\",\"log_message\":\"b\",\"timestamp\":1700000101}");
    assertEquals(1, json(server.get("/logs/recent-logs?site=after&after_time=1700000100")).size());
    assertEquals(2, json(server.get("/logs/recent-logs?site=after&after_time=1700000099.5")).size());
    assertEquals(0, json(server.get("/logs/recent-logs?site=after&after_time=1700000101")).size());
    assertEquals("[]", server.get("/logs/recent-logs?site=nobody-here&after_time=0").body());
  }

  @Test
  void levelDefaultsToInfoAndTimestampToServerTime() throws Exception {
    long before = System.currentTimeMillis() / 1000;
    assertEquals(200, newLog("{\"site\":\"defaults\",\"log_message\":\"plain\"}").statusCode());
    long after = System.currentTimeMillis() / 1000;
    JsonNode m = json(server.get("/logs/recent-logs?site=defaults&after_time=0")).get(0);
    assertEquals("plain", m.get("message").textValue());
    assertEquals("info", m.get("log_level").textValue());
    assertTrue(m.get("timestamp").isIntegralNumber(), m.toString());
    long ts = m.get("timestamp").longValue();
    assertTrue(ts >= before && ts <= after, ts + " not in [" + before + ", " + after + "]");
  }

  @Test
  void floatTimestampsAreAcceptedAndKeptAsWholeSecondsInOrder() throws Exception {
    newLog("{\"site\":\"floats\",\"log_message\":\"later\",\"timestamp\":1604514063.75}");
    newLog("{\"site\":\"floats\",\"log_message\":\"earlier\",\"timestamp\":1604514063.25,\"log_level\":null}");
    JsonNode list = json(server.get("/logs/recent-logs?site=floats&after_time=1604514062"));
    assertEquals("earlier", list.get(0).get("message").textValue());
    assertEquals("later", list.get(1).get("message").textValue());
    assertEquals(1604514063L, list.get(0).get("timestamp").longValue());
    assertEquals("info", list.get(0).get("log_level").textValue());
  }

  @Test
  void invalidPostsAreRefusedWithA400NamingTheField() throws Exception {
    assertError(newLog("{\"log_message\":\"x\"}"), 400, "site");
    assertError(newLog("{\"site\":\"\",\"log_message\":\"x\"}"), 400, "site");
    assertError(newLog("{\"site\":5,\"log_message\":\"x\"}"), 400, "site");
    assertError(newLog("{\"site\":\"v\"}"), 400, "log_message");
    assertError(newLog("{\"site\":\"v\",\"log_message\":7}"), 400, "log_message");
    assertError(newLog("{\"site\":\"v\",\"log_message\":\"x\",\"log_level\":\"verbose\"}"), 400, "log_level");
    assertError(newLog("{\"site\":\"v\",\"log_message\":\"x\",\"log_level\":\"warn\"}"), 400, "log_level");
    assertError(newLog("{\"site\":\"v\",\"log_message\":\"x\",\"log_level\":3}"), 400, "log_level");
    assertError(newLog("{\"site\":\"v\",\"log_message\":\"x\",\"timestamp\":\"1604514063\"}"), 400, "timestamp");
    assertError(newLog("{\"site\":\"v\",\"log_message\":\"x\",\"timestamp\":true}"), 400, "timestamp");
    assertError(newLog("{\"site\":\"v\",\"log_message\":\"x\",\"timestamp\":-1}"), 400, "timestamp");
    assertError(newLog("not json"), 400, null);
    assertError(newLog("[1,2]"), 400, null);
    assertError(newLog(""), 400, null);
    assertEquals("[]", server.get("/logs/recent-logs?site=v&after_time=0").body());
  }

  @Test
  void badQueriesAreRefusedWithA400NamingTheParameter() throws Exception {
    assertError(server.get("/logs/recent-logs?site=x"), 400, "after_time");
    assertError(server.get("/logs/recent-logs?site=x&after_time=yesterday"), 400, "after_time");
    assertError(server.get("/logs/recent-logs?site=x&after_time="), 400, "after_time");
    assertError(server.get("/logs/recent-logs?after_time=0"), 400, "site");
    assertError(server.get("/logs/onlineusers"), 400, "site");
  }

  @Test
  void aBodyOverTheConfiguredSizeIs413() throws Exception {
    String big = "x".repeat(3000);
    HttpResponse<String> r = newLog("{\"site\":\"big\",\"log_message\":\"" + big + "\"}");
    assertEquals(413, r.statusCode());
    assertTrue(json(r).get("error").textValue().contains("larger"), r.body());
    assertEquals(200, newLog("{\"site\":\"big\",\"log_message\":\"small\"}").statusCode());
  }

  @Test
  void preflightAllowsAnyOrigin() throws Exception {
    HttpResponse<String> r = server.send("OPTIONS", "/logs/newlog",
        "Origin", "https://www.photonranch.org", "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "content-type");
    assertEquals(204, r.statusCode());
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertTrue(r.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
    assertTrue(r.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("content-type"));
  }

  @Test
  void onlineUsersOfASiteWithNobodyIsEmpty() throws Exception {
    HttpResponse<String> r = server.get("/logs/onlineusers?site=empty-site");
    assertEquals(200, r.statusCode());
    assertEquals("[]", r.body());
  }

  static void assertError(HttpResponse<String> r, int status, String field) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode body = json(r);
    assertTrue(body.get("error").isTextual(), r.body());
    if (field != null) {
      assertEquals(field, body.path("field").textValue(), r.body());
      assertTrue(body.get("error").textValue().contains(field), r.body());
    }
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
  }
}
