package dev.livestate.server.adapter.synk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, fault 1, on Supersynk: a body whose strings hold half a surrogate pair, and a channel
 * name whose percent-escapes are not UTF-8, are answered 400 {@code {"error": …}}; the channel
 * keeps answering everyone with valid JSON.
 */
class SupersynkLoneSurrogateTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("synk.timeout", "60s"));

  static void assertRefused(HttpResponse<String> r) throws Exception {
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).path("error").textValue().startsWith("invalid input ("),
        r.body());
  }

  @Test
  void dataWithALoneSurrogateIsRefusedInBothFormsAndTheChannelGoesOn() throws Exception {
    assertEquals(200, server.post("/api/channels/lone", "{\"client_id\":\"ada\",\"x\":1}")
        .statusCode());
    assertRefused(server.post("/api/channels/lone", "{\"client_id\":\"joe\",\"x\":\"\\ud800\"}"));
    assertRefused(server.post("/api/channels/lone", "{\"client_id\":\"j\\udc00\"}"));
    assertRefused(server.post("/synk/lone", "{\"c\":\"joe\",\"d\":[{\"k\":\"\\udbff\",\"v\":1}]}"));

    HttpResponse<String> joe = server.post("/api/channels/lone", "{\"client_id\":\"joe\",\"x\":2}");
    assertEquals(200, joe.statusCode(), joe.body());
    assertEquals(JSON.readTree("[{\"client_id\":\"ada\",\"x\":1}]"), JSON.readTree(joe.body()));
    JsonNode all = JSON.readTree(server.get("/api/channels/lone").body());
    assertEquals(2, all.size(), all.toString());
  }

  @Test
  void channelNamesThatAreNotUtf8AreRefusedSoNoneMerge() throws Exception {
    for (String half : new String[] {"%ED%A0%80", "%ED%A0%81"}) {
      assertRefused(server.post("/api/channels/twin" + half, "{\"client_id\":\"ada\"}"));
      assertRefused(server.post("/synk/twin" + half, "{\"c\":\"ada\"}"));
    }
    JsonNode channels = JSON.readTree(server.get("/api/channels").body());
    for (JsonNode c : channels) {
      assertFalse(c.asText().startsWith("twin"), channels.toString());
    }
  }
}
