package dev.livestate.server.adapter.synk;

import static dev.livestate.server.adapter.synk.SupersynkTest.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The finer Supersynk rules: the late-request rule's scope, id lengths, headers, seed items. */
class SupersynkRulesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension
  static final TestServer server =
      TestServer.perClass(Map.of("synk.max-body", "1k", "synk.timeout", "60s"));

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void aClientsTimeIsRememberedPerChannel() throws Exception {
    assertEquals(200, server.post("/api/channels/clock-a", "{\"client_id\":\"ada\",\"v\":1}",
        "Client-Id", "ada", "Client-Time", "1000").statusCode());
    assertEquals(200, server.post("/api/channels/clock-b", "{\"client_id\":\"ada\",\"v\":2}",
        "Client-Id", "ada", "Client-Time", "5").statusCode(), "another channel, another clock");
    assertEquals(2, json(server.get("/api/channels/clock-b")).get(0).get("v").intValue());
    assertEquals(204, server.post("/api/channels/clock-a", "{\"client_id\":\"ada\",\"v\":3}",
        "Client-Id", "ada", "Client-Time", "999").statusCode());
  }

  @Test
  void aClientTimeAloneWithoutClientIdIsNeverLate() throws Exception {
    assertEquals(200, server.post("/api/channels/anon", "{\"client_id\":\"ada\",\"v\":1}",
        "Client-Time", "1000").statusCode());
    assertEquals(200, server.post("/api/channels/anon", "{\"client_id\":\"ada\",\"v\":2}",
        "Client-Time", "1").statusCode());
    assertEquals(2, json(server.get("/api/channels/anon")).get(0).get("v").intValue());
  }

  @Test
  void aGetAnswersEveryClientTheCallerIncludedAndIsLateInTheSeedFormToo() throws Exception {
    server.post("/synk/gets", "{\"c\":\"ada\",\"d\":[{\"k\":\"head\",\"v\":\"A\"}]}",
        "Client-Id", "ada", "Client-Time", "50");
    server.post("/synk/gets", "{\"c\":\"joe\",\"d\":[]}");
    HttpResponse<String> mine = server.send("GET", "/synk/gets", "Client-Id", "ada",
        "Client-Time", "60");
    assertEquals(200, mine.statusCode());
    assertEquals(JSON.readTree("[{\"c\":\"ada\",\"d\":[{\"k\":\"head\",\"v\":\"A\"}]},"
        + "{\"c\":\"joe\",\"d\":[]}]"), json(mine));
    HttpResponse<String> late = server.send("GET", "/synk/gets", "Client-Id", "ada",
        "Client-Time", "55");
    assertEquals(204, late.statusCode());
    assertEquals("", late.body());
    assertEquals(204, server.post("/synk/gets", "{\"c\":\"ada\",\"d\":[]}", "Client-Id", "ada",
        "Client-Time", "59").statusCode(), "the GET's time was remembered");
    assertEquals("A", json(server.get("/synk/gets")).get(0).at("/d/0/v").asText());
  }

  @Test
  void channelAndClientIdsAreOneTo200Characters() throws Exception {
    String longest = "c".repeat(200);
    String tooLong = "c".repeat(201);
    assertEquals(200, server.post("/api/channels/" + longest,
        "{\"client_id\":\"" + longest + "\"}").statusCode());
    assertEquals(longest, json(server.get("/api/channels/" + longest)).get(0).get("client_id")
        .asText());
    assertInvalid(server.post("/api/channels/" + tooLong, "{\"client_id\":\"ada\"}"),
        "channel id must be 1 to 200 characters");
    assertInvalid(server.get("/synk/" + tooLong), "channel id must be 1 to 200 characters");
    assertInvalid(server.post("/api/channels/ids", "{\"client_id\":\"" + tooLong + "\"}"),
        "client_id");
    assertInvalid(server.post("/synk/ids", "{\"c\":\"" + tooLong + "\"}"), "'c'");
    assertEquals("[]", server.get("/api/channels/ids").body(), "nothing stored when refused");
  }

  @Test
  void seedItemsAreKeptAsSentAndANullDIsAnEmptyList() throws Exception {
    String d = "[{\"k\":\"head\",\"v\":[0,1.5,\"x\"],\"extra\":true},7,\"loose\"]";
    server.post("/synk/items", "{\"c\":\"ada\",\"d\":" + d + "}");
    server.post("/synk/items", "{\"c\":\"joe\",\"d\":null}");
    assertEquals(JSON.readTree("[{\"c\":\"ada\",\"d\":" + d + "},{\"c\":\"joe\",\"d\":[]}]"),
        json(server.get("/synk/items")));
  }

  @Test
  void serverTimeIsExposedToBrowsersAndSentWithErrors() throws Exception {
    HttpResponse<String> ok = server.get("/api/channels");
    assertTrue(ok.headers().firstValue("Access-Control-Expose-Headers").orElse("")
        .contains("Server-Time"), ok.headers().map().toString());
    HttpResponse<String> tooBig = server.post("/api/channels/st2",
        "{\"client_id\":\"a\",\"pad\":\"" + "x".repeat(2000) + "\"}");
    assertEquals(413, tooBig.statusCode());
    assertEquals("invalid input (payload larger than 1024 bytes)", json(tooBig).get("error")
        .asText());
    HttpResponse<String> bad = server.post("/synk/st2", "{\"c\":1}");
    assertEquals(400, bad.statusCode());
    for (HttpResponse<String> r : java.util.List.of(tooBig, bad)) {
      assertTrue(r.headers().firstValue("Server-Time").isPresent(), r.headers().map().toString());
      assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }
    HttpResponse<String> pre = server.send("OPTIONS", "/synk/st2", "Origin", "https://vr.example",
        "Access-Control-Request-Method", "POST");
    assertEquals(204, pre.statusCode());
    String allowed = pre.headers().firstValue("Access-Control-Allow-Headers").orElse("");
    for (String h : java.util.List.of("Content-Type", "Client-Id", "Client-Time")) {
      assertTrue(allowed.contains(h), allowed);
    }
  }

  @Test
  void theVersionIsPlainText() throws Exception {
    HttpResponse<String> v = server.get("/api");
    assertTrue(v.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        v.headers().map().toString());
    assertTrue(v.body().matches("supersynk server \\(livestate .+\\)"), v.body());
  }
}
