package dev.livestate.testkit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * HTTP calls for tests, on one real client (the JDK's): the body comes back as text, and each
 * call gives up after ten seconds. A request with headers names them and their values in turns:
 * {@code post(url, body, "Content-Type", "application/json")}.
 */
public final class Http {
  /** The one client; for a request the helpers below do not build. */
  public static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Http() {}

  public static HttpResponse<String> get(String url, String... headers) throws Exception {
    return send(withHeaders(HttpRequest.newBuilder(URI.create(url)).GET(), headers));
  }

  /** GETs {@code url} (with {@code headers}: name, value, ...) and reads its body as JSON. */
  public static JsonNode getJson(String url, String... headers) throws Exception {
    return JSON.readTree(get(url, headers).body());
  }

  public static HttpResponse<String> post(String url, String body, String... headers)
      throws Exception {
    return send(withHeaders(HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofString(body)), headers));
  }

  /** A request of any method without a body (HEAD, DELETE, OPTIONS...). */
  public static HttpResponse<String> send(String method, String url, String... headers)
      throws Exception {
    return send(withHeaders(HttpRequest.newBuilder(URI.create(url))
        .method(method, HttpRequest.BodyPublishers.noBody()), headers));
  }

  /** Sends the request being built, with the ten-second timeout. */
  public static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return CLIENT.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Tries to open a WebSocket to {@code url} ({@code ws://...}) with {@code headers}: 101 when it
   * opened (it is closed again at once), else the status the server refused the upgrade with.
   */
  public static int upgradeStatus(String url, String... headers) throws Exception {
    WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    try {
      builder.buildAsync(URI.create(url), new WebSocket.Listener() {})
          .get(10, TimeUnit.SECONDS).abort();
      return 101;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }

  private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String... headers) {
    return headers.length == 0 ? request : request.headers(headers);
  }
}
