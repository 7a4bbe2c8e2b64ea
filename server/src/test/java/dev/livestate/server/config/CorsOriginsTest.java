package dev.livestate.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.TestServer;
import dev.livestate.testkit.http.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code cors.origins} is what every HTTP surface (the HTTP API, status messages, Supersynk,
 * meet downloads) tells browsers: any origin by default, else only the listed ones.
 */
class CorsOriginsTest {
  static final String ALLOWED = "https://allowed.example";
  static final String OTHER = "https://other.example";
  /** A GET on each HTTP surface. */
  static final List<String> PATHS = List.of("/healthz", "/api/rooms", "/logs/recent-logs?site=x",
      "/synk/x", "/api/channels", "/meet/123456789/log");

  @RegisterExtension
  static final TestServer open = TestServer.perClass();
  @RegisterExtension
  static final TestServer listed =
      TestServer.perClass(Map.of("cors.origins", ALLOWED + ", https://second.example"));

  static HttpResponse<String> get(TestServer server, String path, String origin) throws Exception {
    return server.send("GET", path, "Origin", origin);
  }

  static HttpResponse<String> preflight(TestServer server, String path, String origin)
      throws Exception {
    return Http.CLIENT.send(HttpRequest.newBuilder(URI.create(server.http(path)))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin).header("Access-Control-Request-Method", "GET").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String allowOrigin(HttpResponse<?> r) {
    return r.headers().firstValue("Access-Control-Allow-Origin").orElse(null);
  }

  @Test
  void byDefaultEverySurfaceAllowsAnyOrigin() throws Exception {
    for (String path : PATHS) {
      assertEquals("*", allowOrigin(get(open, path, OTHER)), path);
      HttpResponse<String> pre = preflight(open, path, OTHER);
      assertTrue(pre.statusCode() / 100 == 2, path + " preflight: " + pre.statusCode());
      assertEquals("*", allowOrigin(pre), path);
      assertTrue(pre.headers().firstValue("Access-Control-Allow-Methods").orElse("")
          .toUpperCase(Locale.ROOT).contains("GET"), path + ": " + pre.headers());
    }
  }

  @Test
  void withAListEverySurfaceAllowsExactlyTheListedOrigins() throws Exception {
    for (String path : PATHS) {
      assertEquals(ALLOWED, allowOrigin(get(listed, path, ALLOWED)), path);
      assertEquals("https://second.example", allowOrigin(get(listed, path, "https://second.example")),
          path + ": every listed origin");
      HttpResponse<String> pre = preflight(listed, path, ALLOWED);
      assertTrue(pre.statusCode() / 100 == 2, path + " preflight: " + pre.statusCode());
      assertEquals(ALLOWED, allowOrigin(pre), path);

      String granted = allowOrigin(get(listed, path, OTHER));
      assertNotEquals("*", granted, path);
      assertNotEquals(OTHER, granted, path + ": an unlisted origin is not allowed");
      assertNotEquals(OTHER, allowOrigin(preflight(listed, path, OTHER)), path);
    }
  }
}
