package dev.livestate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.http.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Malformed requests to every HTTP surface — paths no route serves, methods a path does not take,
 * bad percent-encoding, bodies over the limit, wrong content types — each answered with the right
 * status in the error shape of the surface the path belongs to: the HTTP API's
 * {@code {"error":{"code","message"}}}, Supersynk's and userstatus's {@code {"error": "..."}},
 * the meets' line of text. Requests go over java.net.http, but for the paths it refuses to send
 * (a malformed escape), which go as raw HTTP/1.1 on a socket.
 */
class ErrorShapesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SMALL_BODY = 1024;

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of(
      "limits.max-message", "1m",
      "synk.max-body", SMALL_BODY + "",
      "userstatus.max-body", SMALL_BODY + ""));

  /** The shapes, and how a test reads one: the error's text, or a failed assertion. */
  enum Shape {
    HTTP_API, SUPERSYNK, USERSTATUS, MEET;

    String read(Answer a) throws IOException {
      if (this == MEET) {
        assertTrue(a.contentType.startsWith("text/plain"), a.toString());
        assertFalse(a.body.isBlank(), a.toString());
        return a.body.trim();
      }
      assertEquals("application/json", a.contentType, a.toString());
      JsonNode error = JSON.readTree(a.body).get("error");
      if (this == HTTP_API) {
        assertTrue(error.path("code").isTextual(), a.toString());
        assertTrue(error.path("message").isTextual(), a.toString());
        return error.get("code").textValue() + ": " + error.get("message").textValue();
      }
      assertTrue(error != null && error.isTextual(), a.toString());
      return error.textValue();
    }
  }

  /** What came back, whichever client sent it. */
  record Answer(int status, String contentType, String body) {}

  /** One malformed request, what it must get, and a word the error must hold. */
  record Case(Shape shape, String method, String path, String contentType, String body,
      int status, String mentions) {}

  private static final String BIG = "x".repeat(1024 * 1024 + 1);
  private static final String OVER_SMALL = "{\"site\":\"" + "x".repeat(SMALL_BODY) + "\"}";

  static List<Case> cases() {
    List<Case> all = new ArrayList<>();
    // the HTTP API, and paths no surface claims
    all.add(new Case(Shape.HTTP_API, "GET", "/api/rooms/%", null, null, 400, "bad_request"));
    all.add(new Case(Shape.HTTP_API, "GET", "/api/rooms/%zz/stream", null, null, 400, "bad_request"));
    all.add(new Case(Shape.HTTP_API, "GET", "/api/rooms/%C3%28", null, null, 400, "bad_request"));
    all.add(new Case(Shape.HTTP_API, "GET", "/api/nothing", null, null, 404, "not_found"));
    all.add(new Case(Shape.HTTP_API, "GET", "/nothing/here", null, null, 404, "not_found"));
    all.add(new Case(Shape.HTTP_API, "PATCH", "/api/rooms/shapes", null, "{}", 405,
        "method_not_allowed"));
    all.add(new Case(Shape.HTTP_API, "DELETE", "/api/rooms", null, null, 405,
        "method_not_allowed"));
    all.add(new Case(Shape.HTTP_API, "POST", "/healthz", null, "{}", 405, "method_not_allowed"));
    all.add(new Case(Shape.HTTP_API, "PUT", "/api/rooms/shapes-big", "application/json", BIG, 413,
        "too_large"));
    all.add(new Case(Shape.HTTP_API, "PUT", "/api/rooms/shapes-xml", "application/xml", "<room/>",
        400, "invalid_json"));
    // Supersynk, both forms
    all.add(new Case(Shape.SUPERSYNK, "DELETE", "/synk/shapes", null, null, 405, "DELETE"));
    all.add(new Case(Shape.SUPERSYNK, "PUT", "/api/channels/shapes", null, "{}", 405, "PUT"));
    all.add(new Case(Shape.SUPERSYNK, "POST", "/api", null, "{}", 405, "POST"));
    all.add(new Case(Shape.SUPERSYNK, "GET", "/synk/%", null, null, 400, "invalid input"));
    all.add(new Case(Shape.SUPERSYNK, "GET", "/api/channels/a/b", null, null, 404, "no such path"));
    all.add(new Case(Shape.SUPERSYNK, "POST", "/synk/shapes", "application/json", OVER_SMALL, 413,
        "larger than " + SMALL_BODY));
    all.add(new Case(Shape.SUPERSYNK, "POST", "/api/channels/shapes", "text/xml", "<c/>", 400,
        "invalid input (<c/>)"));
    // userstatus
    all.add(new Case(Shape.USERSTATUS, "GET", "/logs/nothing", null, null, 404, "no such path"));
    all.add(new Case(Shape.USERSTATUS, "DELETE", "/logs/newlog", null, null, 405, "DELETE"));
    all.add(new Case(Shape.USERSTATUS, "GET", "/logs/recent-logs%", null, null, 400, "malformed"));
    all.add(new Case(Shape.USERSTATUS, "POST", "/logs/newlog", "application/json", OVER_SMALL, 413,
        "larger than " + SMALL_BODY));
    all.add(new Case(Shape.USERSTATUS, "POST", "/logs/newlog", "text/plain", "hello", 400, ""));
    // live meets' HTTP pages
    all.add(new Case(Shape.MEET, "GET", "/meet/123456789/nothing", null, null, 404, "no such path"));
    all.add(new Case(Shape.MEET, "POST", "/meet/123456789/csv", null, "x", 405, "POST"));
    all.add(new Case(Shape.MEET, "GET", "/meet/%", null, null, 400, "malformed"));
    return all;
  }

  @Test
  void everyRefusalIsInTheShapeOfTheSurfaceItsPathBelongsTo() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Case c : cases()) {
      Answer a = send(c);
      String what = c.method + " " + c.path + " -> " + a.status + " " + a.contentType + " "
          + a.body.substring(0, Math.min(200, a.body.length()));
      try {
        assertEquals(c.status, a.status, "status");
        String error = c.shape.read(a);
        assertTrue(error.contains(c.mentions), "should mention " + c.mentions);
      } catch (AssertionError | IOException e) {
        wrong.add(what + " (" + e.getMessage() + ")");
      }
    }
    assertTrue(wrong.isEmpty(), "not in their surface's shape:\n" + String.join("\n", wrong));
  }

  private static Answer send(Case c) throws Exception {
    if (c.path.contains("%")) {
      return raw(c.method, c.path);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.http(c.path)))
        .method(c.method, c.body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(c.body));
    if (c.contentType != null) {
      b.header("Content-Type", c.contentType);
    }
    HttpResponse<String> r = Http.send(b);
    return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  /** A request java.net.http will not send (a malformed escape), as raw HTTP/1.1. */
  private static Answer raw(String method, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int headEnd = response.indexOf("\r\n\r\n");
      String[] head = response.substring(0, headEnd).split("\r\n");
      int status = Integer.parseInt(head[0].split(" ")[1]);
      String type = "";
      for (String h : head) {
        if (h.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
          type = h.substring(h.indexOf(':') + 1).trim();
        }
      }
      return new Answer(status, type, response.substring(headEnd + 4));
    }
  }
}
