package dev.livestate.server.adapter.userstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented bounds of status messages: messages kept per site, same-second messages, and
 * the field limits, each refusal in the surface's own {@code {"error","field"}} shape.
 */
class UserStatusLimitsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static List<String> messages(TestServer s, String site, String after) throws Exception {
    HttpResponse<String> r = s.get("/logs/recent-logs?site=" + site + "&after_time=" + after);
    assertEquals(200, r.statusCode(), r.body());
    List<String> out = new ArrayList<>();
    JSON.readTree(r.body()).forEach(m -> out.add(m.get("message").textValue()));
    return out;
  }

  static int post(TestServer s, String site, String message, String timestamp)
      throws Exception {
    return s.post("/logs/newlog", "{\"site\":\"" + site + "\",\"log_message\":\"" + message
        + "\",\"timestamp\":" + timestamp + "}").statusCode();
  }

  @Test
  void pastMaxMessagesTheOldestOfASiteGoFirstAndStayGoneAfterARestart() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("userstatus.max-messages", "3"))) {
      for (int i = 1; i <= 5; i++) {
        assertEquals(200, post(s, "capped", "m" + i, "170000000" + i));
      }
      assertEquals(200, post(s, "neighbour", "n1", "1700000001"));
      assertEquals(List.of("m3", "m4", "m5"), messages(s, "capped", "0"));
      assertEquals(List.of("n1"), messages(s, "neighbour", "0"), "the limit is per site");
    }
    try (TestServer s = TestServer.start(dir, Map.of("userstatus.max-messages", "3"))) {
      assertEquals(List.of("m3", "m4", "m5"), messages(s, "capped", "0"));
      assertEquals(200, post(s, "capped", "m6", "1700000006"));
      assertEquals(List.of("m4", "m5", "m6"), messages(s, "capped", "0"));
    }
  }

  @Test
  void messagesOfOneSiteInTheSameSecondAreAllKeptInPostedOrder() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of())) {
      for (String m : List.of("first", "second", "third")) {
        assertEquals(200, post(s, "busy", m, "1700000500"));
      }
      assertEquals(List.of("first", "second", "third"), messages(s, "busy", "1700000499"));
      JsonNode list = JSON.readTree(s.get("/logs/recent-logs?site=busy&after_time=0").body());
      list.forEach(m -> assertEquals(1700000500L, m.get("timestamp").longValue()));
    }
    try (TestServer s = TestServer.start(dir, Map.of())) {
      assertEquals(List.of("first", "second", "third"), messages(s, "busy", "0"),
          "and in that order from the store");
    }
  }

  @Test
  void aSiteCodeIsOneTo200Characters() throws Exception {
    String longest = "s".repeat(200);
    String tooLong = "s".repeat(201);
    try (TestServer s = TestServer.start(dir, Map.of())) {
      assertEquals(200, post(s, longest, "fits", "1700000000"));
      assertEquals(List.of("fits"), messages(s, longest, "0"));
      UserStatusHttpTest.assertError(s.post("/logs/newlog",
          "{\"site\":\"" + tooLong + "\",\"log_message\":\"x\"}"), 400, "site");
      UserStatusHttpTest.assertError(
          s.get("/logs/recent-logs?site=" + tooLong + "&after_time=0"), 400, "site");
      UserStatusHttpTest.assertError(s.get("/logs/onlineusers?site=" + tooLong), 400, "site");
      UserStatusHttpTest.assertError(s.get("/logs/recent-logs?site=&after_time=0"), 400, "site");
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> s.socket("/logs/ws?site=" + tooLong));
      assertEquals(400, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }
  }

  @Test
  void timestampsFromZeroToJustBelowTenToTheElevenSecondsAreAccepted() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of())) {
      assertEquals(200, post(s, "bounds", "epoch", "0"));
      assertEquals(200, post(s, "bounds", "far", "99999999999.999"));
      for (String bad : List.of("100000000000", "1e11", "-0.001", "-1")) {
        UserStatusHttpTest.assertError(s.post("/logs/newlog",
            "{\"site\":\"bounds\",\"log_message\":\"x\",\"timestamp\":" + bad + "}"), 400,
            "timestamp");
      }
      JsonNode list = JSON.readTree(s.get("/logs/recent-logs?site=bounds&after_time=-1").body());
      assertEquals(2, list.size(), list.toString());
      assertEquals(0L, list.get(0).get("timestamp").longValue());
      assertEquals(99999999999L, list.get(1).get("timestamp").longValue());
    }
  }

  @Test
  void anyStringIsAMessageButOnlyTheFiveLowercaseLevelsAreLevels() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of())) {
      assertEquals(200, s.post("/logs/newlog",
          "{\"site\":\"levels\",\"log_message\":\"\",\"timestamp\":1700000000}").statusCode());
      int t = 1700000001;
      for (String level : List.of("debug", "info", "warning", "error", "critical")) {
        assertEquals(200, s.post("/logs/newlog", "{\"site\":\"levels\",\"log_message\":\"" + level
            + "\",\"log_level\":\"" + level + "\",\"timestamp\":" + (t++) + "}").statusCode());
      }
      for (String bad : List.of("INFO", "Warning", "")) {
        UserStatusHttpTest.assertError(s.post("/logs/newlog",
            "{\"site\":\"levels\",\"log_message\":\"x\",\"log_level\":\"" + bad + "\"}"),
            400, "log_level");
      }
      UserStatusHttpTest.assertError(s.post("/logs/newlog",
          "{\"site\":\"levels\",\"log_message\":null}"), 400, "log_message");
      JsonNode list = JSON.readTree(s.get("/logs/recent-logs?site=levels&after_time=0").body());
      assertEquals(6, list.size(), list.toString());
      assertEquals("", list.get(0).get("message").textValue());
      for (int i = 1; i < 6; i++) {
        assertEquals(list.get(i).get("message").textValue(), list.get(i).get("log_level").textValue());
      }
    }
  }

  @Test
  void aWebSocketNewlogOutOfBoundsIsAnsweredWithTheErrorObjectAndTheSocketStays()
      throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of())) {
      WebSocketClient ws = s.socket("/logs/ws?site=wsb");
      assertWsError(ws, "{\"action\":\"newlog\",\"site\":\"" + "s".repeat(201)
          + "\",\"log_message\":\"x\"}", "site");
      assertWsError(ws, "{\"action\":\"newlog\",\"site\":\"wsb\",\"log_message\":\"x\","
          + "\"timestamp\":100000000000}", "timestamp");
      assertWsError(ws, "{\"action\":\"newlog\",\"site\":\"wsb\"}", "log_message");
      assertWsError(ws, "{\"action\":\"newlog\",\"site\":\"wsb\",\"log_message\":\"x\","
          + "\"log_level\":\"INFO\"}", "log_level");
      assertWsError(ws, "{\"site\":\"wsb\",\"log_message\":\"x\"}", "action");
      ws.send("{\"action\":\"newlog\",\"site\":\"wsb\",\"log_message\":\"still here\","
          + "\"timestamp\":1700000000}");
      JsonNode push = ws.next();
      assertEquals("still here", push.get("message").textValue(), push.toString());
      assertEquals(List.of("still here"), messages(s, "wsb", "0"), "only the valid one was kept");
      ws.close();
    }
  }

  private static void assertWsError(WebSocketClient ws, String frame, String field)
      throws Exception {
    ws.send(frame);
    JsonNode answer = ws.next();
    assertEquals(field, answer.path("field").textValue(), answer.toString());
    assertTrue(answer.path("error").isTextual(), answer.toString());
    assertEquals(2, answer.size(), "only error and field: " + answer);
  }
}
