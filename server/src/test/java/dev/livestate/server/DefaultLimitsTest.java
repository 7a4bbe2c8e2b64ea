package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With default settings every HTTP surface takes a message of a whole mebibyte, as the originals
 * did, and gives it back whole.
 */
class DefaultLimitsTest {
  static final String MEBIBYTE = "m".repeat(1024 * 1024);
  static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static String shortened(String body) {
    return body.length() > 200 ? body.substring(0, 200) + "..." : body;
  }

  static JsonNode read(String path) throws Exception {
    HttpResponse<String> r = server.get(path);
    assertEquals(200, r.statusCode(), shortened(r.body()));
    return JSON.readTree(r.body());
  }

  @Test
  void aStatusMessageOfOneMebibyteIsAcceptedAndReadBack() throws Exception {
    HttpResponse<String> r = server.post("/logs/newlog",
        "{\"site\":\"big\",\"log_message\":\"" + MEBIBYTE + "\"}");
    assertEquals(200, r.statusCode(), shortened(r.body()));
    JsonNode logs = read("/logs/recent-logs?site=big&after_time=0");
    assertEquals(1, logs.size());
    assertEquals(MEBIBYTE, logs.get(0).get("message").asText());
  }

  @Test
  void aSupersynkPostOfOneMebibyteIsAcceptedAndReadBack() throws Exception {
    HttpResponse<String> r = server.post("/synk/big",
        "{\"c\":\"ada\",\"d\":[{\"k\":\"blob\",\"v\":\"" + MEBIBYTE + "\"}]}");
    assertEquals(200, r.statusCode(), shortened(r.body()));
    JsonNode everyone = read("/synk/big");
    assertEquals("ada", everyone.at("/0/c").asText(), shortened(everyone.toString()));
    assertEquals(MEBIBYTE, everyone.at("/0/d/0/v").asText());
  }

  @Test
  void aStreamMessageOfOneMebibyteIsAcceptedByTheHttpApiAndReadBack() throws Exception {
    server.send("PUT", "/api/rooms/big");
    HttpResponse<String> r = server.post("/api/rooms/big/stream", "\"" + MEBIBYTE + "\"");
    assertEquals(201, r.statusCode(), shortened(r.body()));
    JsonNode stream = read("/api/rooms/big/stream");
    assertEquals(MEBIBYTE, stream.at("/messages/0/body").asText());
  }
}
