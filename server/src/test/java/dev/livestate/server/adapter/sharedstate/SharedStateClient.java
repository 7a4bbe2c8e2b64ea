package dev.livestate.server.adapter.sharedstate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The shared-state protocol's test conveniences over the one {@link WebSocketClient} ({@link
 * #ws}): requests answered by their tunnel, subscriptions, and notifications counted among
 * themselves, so a test marks how many it has seen and waits for the next.
 */
final class SharedStateClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final WebSocketClient ws;
  private final AtomicInteger tunnels = new AtomicInteger();

  private SharedStateClient(WebSocketClient ws) {
    this.ws = ws;
  }

  static SharedStateClient connect(TestServer server) throws Exception {
    return connect(server, "/sharedstate");
  }

  /** Connects to {@code path}: the endpoint with a query, such as {@code ?token=}. */
  static SharedStateClient connect(TestServer server, String path) throws Exception {
    return new SharedStateClient(server.socket(path));
  }

  static boolean isNotify(JsonNode n, String path) {
    return "MESSAGE".equals(n.path("type").asText()) && "NOTIFY".equals(n.path("cmd").asText())
        && path.equals(n.path("path").asText());
  }

  boolean isClosed() {
    return !ws.isOpen();
  }

  void sendText(String text) {
    ws.send(text);
  }

  /** Sends a request and returns its reply. */
  JsonNode request(String cmd, String path, Object arg) {
    int tunnel = tunnels.incrementAndGet() + 1000;
    ObjectNode msg = JSON.createObjectNode();
    msg.put("type", "REQUEST");
    msg.put("cmd", cmd);
    msg.put("path", path);
    if (arg != null) {
      msg.set("arg", JSON.valueToTree(arg));
    }
    msg.put("tunnel", tunnel);
    ws.send(msg);
    return await(n -> "REPLY".equals(n.path("type").asText())
        && n.path("tunnel").asInt() == tunnel);
  }

  JsonNode get(String path) {
    return request("GET", path, null);
  }

  JsonNode put(String path, Object arg) {
    return request("PUT", path, arg);
  }

  /** Subscribes to exactly these paths; returns the reply once each reset notification came. */
  JsonNode subscribe(String... paths) {
    List<List<Object>> insert = new ArrayList<>();
    for (String p : paths) {
      insert.add(List.of(p, Map.of()));
    }
    int before = notifications().size();
    JsonNode reply = put("/subs", Map.of("insert", insert));
    for (String p : paths) {
      awaitFrom(before, n -> isNotify(n, p) && n.path("data").path("reset").asBoolean());
    }
    return reply;
  }

  /** Every message received, in order. */
  List<JsonNode> received() {
    return ws.messages();
  }

  /** Every notification (a MESSAGE) received, in order. */
  List<JsonNode> notifications() {
    return notificationsIn(ws.messages());
  }

  private static List<JsonNode> notificationsIn(List<JsonNode> messages) {
    return messages.stream().filter(n -> "MESSAGE".equals(n.path("type").asText())).toList();
  }

  /** The first message ever received that matches, waiting for it. */
  JsonNode await(Predicate<JsonNode> p) {
    return ws.awaitFrom(0, p);
  }

  /** The first notification from the {@code from}-th notification on that matches, waiting. */
  JsonNode awaitFrom(int from, Predicate<JsonNode> p) {
    return ws.awaitMessages(messages -> {
      List<JsonNode> ns = notificationsIn(messages);
      for (int i = Math.max(0, from); i < ns.size(); i++) {
        if (p.test(ns.get(i))) {
          return ns.get(i);
        }
      }
      return null;
    });
  }

  @Override
  public void close() {
    ws.close();
  }
}
