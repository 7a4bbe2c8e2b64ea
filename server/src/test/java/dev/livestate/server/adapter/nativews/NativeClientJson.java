package dev.livestate.server.adapter.nativews;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** JSON odds and ends for the native tests. */
final class NativeClientJson {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private NativeClientJson() {}

  /** An op as the server relays it, for folding a writer's own acked change. */
  static JsonNode op(long seq, Map<String, Object> values) {
    ObjectNode op = JSON.createObjectNode().put("seq", seq);
    op.set("set", JSON.valueToTree(values));
    return op;
  }

  static JsonNode http(String url) throws Exception {
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(res.body());
  }

  /** GET with {@code Authorization: Bearer token}. */
  static JsonNode http(String url, String token) throws Exception {
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(res.body());
  }
}
