package dev.livestate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With default settings every HTTP surface takes a message of a whole mebibyte, as the originals did. */
class DefaultLimitsTest {
  static final String MEBIBYTE = "m".repeat(1024 * 1024);
  static HttpTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new HttpTestServer(Files.createTempDirectory("livestate-limits"), Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aStatusMessageOfOneMebibyteIsAccepted() throws Exception {
    HttpResponse<String> r = server.post("/logs/newlog",
        "{\"site\":\"big\",\"log_message\":\"" + MEBIBYTE + "\"}");
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void aSupersynkPostOfOneMebibyteIsAccepted() throws Exception {
    HttpResponse<String> r = server.post("/synk/big",
        "{\"c\":\"ada\",\"d\":[{\"k\":\"blob\",\"v\":\"" + MEBIBYTE + "\"}]}");
    assertEquals(200, r.statusCode(), r.body().length() > 200 ? r.body().substring(0, 200) : r.body());
  }

  @Test
  void aStreamMessageOfOneMebibyteIsAcceptedByTheHttpApi() throws Exception {
    server.send("PUT", "/api/rooms/big");
    HttpResponse<String> r = server.post("/api/rooms/big/stream", "\"" + MEBIBYTE + "\"");
    assertEquals(201, r.statusCode());
  }
}
