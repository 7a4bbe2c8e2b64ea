package dev.livestate.server.adapter.synk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.http.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Both Supersynk forms against the real server: data exchange, errors, headers, isolation. */
class SupersynkTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension
  static final TestServer server =
      TestServer.perClass(Map.of("synk.max-body", "1k", "synk.timeout", "60s"));

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void aSeedParticipantGetsTheOthersDataAndAnObserverGetsEveryones() throws Exception {
    HttpResponse<String> first = server.post("/synk/room1", "{\"c\":\"ada\",\"d\":[{\"k\":\"head\",\"v\":\"UYTFUYTDI\"}]}");
    assertEquals(200, first.statusCode());
    assertEquals("[]", first.body());
    HttpResponse<String> second = server.post("/synk/room1", "{\"c\":\"joe\",\"d\":[{\"k\":\"head\",\"v\":\"OIHIBEZAWREZ\"}]}");
    assertEquals(JSON.readTree("[{\"c\":\"ada\",\"d\":[{\"k\":\"head\",\"v\":\"UYTFUYTDI\"}]}]"), json(second));
    // ada updates: her answer holds joe only, never her own data.
    HttpResponse<String> again = server.post("/synk/room1", "{\"c\":\"ada\",\"d\":[{\"k\":\"head\",\"v\":\"NEW\"}]}");
    assertEquals(JSON.readTree("[{\"c\":\"joe\",\"d\":[{\"k\":\"head\",\"v\":\"OIHIBEZAWREZ\"}]}]"), json(again));
    assertEquals(JSON.readTree("[{\"c\":\"ada\",\"d\":[{\"k\":\"head\",\"v\":\"NEW\"}]},"
        + "{\"c\":\"joe\",\"d\":[{\"k\":\"head\",\"v\":\"OIHIBEZAWREZ\"}]}]"), json(server.get("/synk/room1")));
    assertEquals("[]", server.get("/synk/never-used").body());
  }

  @Test
  void theLaterFormKeepsAnyObjectWithAClientId() throws Exception {
    HttpResponse<String> v = server.get("/api");
    assertEquals(200, v.statusCode());
    assertTrue(v.body().startsWith("supersynk server"), v.body());
    assertEquals(200, server.post("/api/channels/later",
        "{\"pos\":[1,2,3],\"client_id\":\"ada\",\"shape\":{\"kind\":\"rect\"}}").statusCode());
    HttpResponse<String> joe = server.post("/api/channels/later", "{\"client_id\":\"joe\",\"x\":1}",
        "Content-Type", "application/json");
    assertEquals(JSON.readTree("[{\"client_id\":\"ada\",\"pos\":[1,2,3],\"shape\":{\"kind\":\"rect\"}}]"), json(joe));
    assertEquals("application/json", joe.headers().firstValue("Content-Type").orElse(""));
    JsonNode all = json(server.get("/api/channels/later"));
    assertEquals(2, all.size());
    assertEquals("joe", all.get(1).get("client_id").textValue());
    assertTrue(contains(json(server.get("/api/channels")), "later"));
    assertEquals("[]", server.get("/api/channels/nothing-here").body());
  }

  @Test
  void invalidInputIsAnsweredWithTheErrorObject() throws Exception {
    assertInvalid(server.post("/api/channels/bad", ""), "empty");
    assertInvalid(server.post("/api/channels/bad", "{nope"), "not JSON");
    assertInvalid(server.post("/api/channels/bad", "[1]"), "object");
    assertInvalid(server.post("/api/channels/bad", "{\"x\":1}"), "client_id");
    assertInvalid(server.post("/api/channels/bad", "{\"client_id\":12}"), "not a string");
    assertInvalid(server.post("/api/channels/bad", "{\"client_id\":\"\"}"), "empty");
    assertInvalid(server.post("/synk/bad", "{\"d\":[]}"), "'c'");
    assertInvalid(server.post("/synk/bad", "{\"c\":\"ada\",\"d\":\"head\"}"), "'d'");
    assertInvalid(server.post("/synk/bad", "{\"c\":\"\"}"), "empty");
    HttpResponse<String> big = server.post("/synk/bad", "{\"c\":\"ada\",\"d\":\"" + "x".repeat(2000) + "\"}");
    assertEquals(413, big.statusCode());
    assertTrue(json(big).get("error").textValue().startsWith("invalid input ("), big.body());
    assertEquals("[]", server.get("/api/channels/bad").body());
  }

  static void assertInvalid(HttpResponse<String> r, String reason) throws Exception {
    assertEquals(400, r.statusCode(), r.body());
    String error = json(r).get("error").textValue();
    assertTrue(error.startsWith("invalid input (") && error.endsWith(")"), error);
    String why = json(r).path("reason").asText(error);
    assertTrue(why.contains(reason), why + " should mention " + reason);
  }

  /**
   * As the original: the error echoes the body ({@code invalid input (-)} for {@code -}), and
   * stays JSON whatever the body holds; the reason comes beside it.
   */
  @Test
  void invalidInputEchoesTheBodyInValidJson() throws Exception {
    HttpResponse<String> dash = server.post("/api/channels/echo", "-");
    assertEquals(400, dash.statusCode());
    assertEquals("invalid input (-)", json(dash).get("error").textValue());
    assertEquals("payload is not JSON", json(dash).get("reason").textValue());
    for (String body : new String[] {"{\"client_id\":\"", "\"}\\\n\t\u0001<>&'", "{\"c\":1}",
        "ünïcødé ✓ \uD83D\uDE00"}) {
      for (String path : new String[] {"/api/channels/echo", "/synk/echo"}) {
        HttpResponse<String> r = server.post(path, body);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("invalid input (" + body + ")", json(r).get("error").textValue(), path);
      }
    }
  }

  /** A body that is not UTF-8 is refused, not read with replacement characters and kept. */
  @Test
  void aBodyThatIsNotUtf8IsRefused() throws Exception {
    byte[] latin1 = "{\"client_id\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    for (String path : new String[] {"/api/channels/latin1", "/synk/latin1"}) {
      HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(server.http(path)))
          .POST(HttpRequest.BodyPublishers.ofByteArray(latin1)));
      assertEquals(400, r.statusCode(), r.body());
      assertEquals("invalid input (not UTF-8)", json(r).get("error").textValue());
    }
    assertEquals("[]", server.get("/api/channels/latin1").body());
  }

  @Test
  void aRequestOlderThanTheClientsLastIsAnswered204AndNotApplied() throws Exception {
    assertEquals(200, server.post("/api/channels/late", "{\"client_id\":\"ada\",\"v\":1}",
        "Client-Id", "ada", "Client-Time", "1000").statusCode());
    HttpResponse<String> old = server.post("/api/channels/late", "{\"client_id\":\"ada\",\"v\":0}",
        "Client-Id", "ada", "Client-Time", "999");
    assertEquals(204, old.statusCode());
    assertEquals("", old.body());
    assertTrue(old.headers().firstValue("Server-Time").isPresent());
    assertEquals(1, json(server.get("/api/channels/late")).get(0).get("v").intValue());
    // Same time and later are applied; another client's clock is its own.
    assertEquals(200, server.post("/api/channels/late", "{\"client_id\":\"ada\",\"v\":2}",
        "Client-Id", "ada", "Client-Time", "1000").statusCode());
    assertEquals(200, server.post("/api/channels/late", "{\"client_id\":\"joe\",\"v\":5}",
        "Client-Id", "joe", "Client-Time", "3").statusCode());
    assertEquals(200, server.post("/synk/late", "{\"c\":\"ada\",\"d\":[]}",
        "Client-Id", "ada", "Client-Time", "1000.5").statusCode());
    assertEquals(204, server.send("GET", "/api/channels/late", "Client-Id", "ada",
        "Client-Time", "1000.25").statusCode());
    assertInvalid(server.post("/api/channels/late", "{\"client_id\":\"ada\"}",
        "Client-Id", "ada", "Client-Time", "soon"), "Client-Time");
  }

  @Test
  void everyAnswerCarriesServerTime() throws Exception {
    long before = System.currentTimeMillis();
    for (HttpResponse<String> r : new HttpResponse[] {server.get("/api"), server.get("/api/channels"),
        server.get("/synk/st"), server.post("/api/channels/st", "{\"client_id\":\"a\"}"),
        server.post("/api/channels/st", "{}")}) {
      long t = Long.parseLong(r.headers().firstValue("Server-Time").orElseThrow());
      assertTrue(t >= before - 5 && t <= System.currentTimeMillis() + 5, "Server-Time " + t);
    }
  }

  @Test
  void channelsAreIsolated() throws Exception {
    server.post("/api/channels/iso-a", "{\"client_id\":\"ada\",\"secret\":\"a\"}");
    server.post("/synk/iso-b", "{\"c\":\"bob\",\"d\":[]}");
    assertEquals("[]", server.post("/api/channels/iso-b2", "{\"client_id\":\"eve\"}").body());
    JsonNode b = json(server.get("/api/channels/iso-b"));
    assertEquals(1, b.size());
    assertEquals("bob", b.get(0).get("client_id").textValue());
    assertFalse(server.get("/synk/iso-b").body().contains("ada"));
    assertFalse(server.get("/api/channels/iso-a").body().contains("bob"));
  }

  @Test
  void bothFormsShareAChannelAndConvertEachOthersRecords() throws Exception {
    server.post("/synk/mixed", "{\"c\":\"seed\",\"d\":[{\"k\":\"head\",\"v\":\"H\"}]}");
    HttpResponse<String> later = server.post("/api/channels/mixed", "{\"client_id\":\"api\",\"pos\":\"0 0 0\"}");
    assertEquals(JSON.readTree("[{\"client_id\":\"seed\",\"d\":[{\"k\":\"head\",\"v\":\"H\"}]}]"), json(later));
    assertEquals(JSON.readTree("[{\"c\":\"api\",\"d\":[{\"k\":\"pos\",\"v\":\"0 0 0\"}]}]"),
        json(server.post("/synk/mixed", "{\"c\":\"seed\",\"d\":[]}")));
  }

  @Test
  void theNativeHttpApiIsNotShadowed() throws Exception {
    server.post("/api/channels/visible", "{\"client_id\":\"ada\"}");
    assertEquals(200, server.get("/healthz").statusCode());
    HttpResponse<String> rooms = server.get("/api/rooms");
    assertEquals(200, rooms.statusCode());
    assertTrue(json(rooms).has("rooms"), "the HTTP API answered, not Supersynk: " + rooms.body());
    assertFalse(rooms.body().contains("synk:visible"),
        "a channel belongs to Supersynk: the HTTP API lists it to operators only");
    assertFalse(rooms.headers().firstValue("Server-Time").isPresent());
  }

  @Test
  void preflightAllowsTheClientHeaders() throws Exception {
    HttpResponse<String> r = server.send("OPTIONS", "/api/channels/x", "Origin", "https://vr.example",
        "Access-Control-Request-Method", "POST");
    assertEquals(204, r.statusCode());
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertTrue(r.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Client-Time"));
  }

  static boolean contains(JsonNode array, String text) {
    for (JsonNode n : array) {
      if (n.asText().equals(text)) {
        return true;
      }
    }
    return false;
  }
}
