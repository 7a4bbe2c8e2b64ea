package dev.livestate.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
 * What the HTTP surfaces tell browsers: by default the HTTP API takes this server's and this
 * machine's pages (open mode), the compatibility surfaces any page; the deprecated
 * {@code cors.origins} still restricts every surface whose CORS it set (the HTTP API, status
 * messages, Supersynk, meet downloads) to the listed origins, refusing any other page.
 */
class CorsOriginsTest {
  static final String ALLOWED = "https://allowed.example";
  static final String OTHER = "https://other.example";
  /** A GET on each HTTP surface. */
  static final List<String> PATHS = List.of("/healthz", "/api/rooms", "/logs/recent-logs?site=x",
      "/synk/x", "/api/channels", "/meet/123456789/log");
  /** The HTTP API's, which the native door's origins govern. */
  static final int API_PATHS = 2;

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
  void byDefaultTheApiRefusesOtherPagesAndTheCompatibilitySurfacesAllowAny() throws Exception {
    for (String path : PATHS.subList(0, API_PATHS)) {
      assertEquals(403, get(open, path, OTHER).statusCode(), path);
      assertEquals("http://localhost:3000", allowOrigin(get(open, path, "http://localhost:3000")),
          path);
    }
    for (String path : PATHS.subList(API_PATHS, PATHS.size())) {
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

      HttpResponse<String> other = get(listed, path, OTHER);
      assertEquals(403, other.statusCode(), path + ": an unlisted page is refused");
      assertNull(allowOrigin(other), path);
      assertNotEquals(OTHER, allowOrigin(preflight(listed, path, OTHER)), path);
    }
  }
}
