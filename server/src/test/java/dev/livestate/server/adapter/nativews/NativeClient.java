package dev.livestate.server.adapter.nativews;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The native protocol's test conveniences over the one {@link WebSocketClient} ({@link #ws}):
 * requests by id, changes numbered by localSeq, the room's state folded from ops.
 */
final class NativeClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final WebSocketClient ws;
  final String clientId;
  final Map<String, JsonNode> state = new LinkedHashMap<>();
  private long nextId = 1;
  long localSeq;
  long seenSeq;
  String epoch;

  private NativeClient(WebSocketClient ws, String clientId) {
    this.ws = ws;
    this.clientId = clientId;
  }

  /**
   * Connects as {@code clientId} in open mode, bringing the id's resume secret, so that a test can
   * connect as the same client again (a reconnect) and nobody else can.
   */
  static NativeClient connect(String url, String clientId) throws Exception {
    NativeClient c = new NativeClient(WebSocketClient.connect(url), clientId);
    JsonNode welcome = c.request(Map.of("type", "hello", "clientId", clientId,
        "resume", resumeOf(clientId)));
    if (!"welcome".equals(welcome.path("type").asText())) {
      c.close();
      throw new IllegalStateException("hello refused: " + welcome);
    }
    return c;
  }

  /** Connects with a token (a server in token mode): the client is the token's subject. */
  static NativeClient connectWithToken(String url, String token) throws Exception {
    WebSocketClient ws = WebSocketClient.connect(url);
    ws.send(Map.of("type", "hello", "id", 0, "token", token));
    JsonNode welcome = ws.await(n -> n.path("id").asLong(-1) == 0);
    if (!"welcome".equals(welcome.path("type").asText())) {
      ws.close();
      throw new IllegalStateException("hello refused: " + welcome);
    }
    return new NativeClient(ws, welcome.get("clientId").asText());
  }

  /** The resume secret these tests hold {@code clientId} with, on every server they start. */
  static String resumeOf(String clientId) {
    return "resume secret of " + clientId;
  }

  /** Sends a request with a fresh id and waits for the reply that echoes it. */
  JsonNode request(Map<String, Object> body) {
    long id = nextId++;
    Map<String, Object> m = new LinkedHashMap<>(body);
    m.put("id", id);
    ws.send(m);
    return ws.await(n -> n.path("id").asLong(-1) == id);
  }

  /** Sends without waiting; returns the id. */
  long post(Map<String, Object> body) {
    long id = nextId++;
    Map<String, Object> m = new LinkedHashMap<>(body);
    m.put("id", id);
    ws.send(m);
    return id;
  }

  JsonNode join(String room, Map<String, Object> extra) {
    Map<String, Object> m = new LinkedHashMap<>(extra);
    m.put("type", "join");
    m.put("room", room);
    JsonNode joined = request(m);
    if ("joined".equals(joined.path("type").asText())) {
      epoch = joined.get("epoch").asText();
      if (joined.has("snapshot")) {
        state.clear();
        joined.get("snapshot").fields().forEachRemaining(e -> state.put(e.getKey(), e.getValue()));
      }
      if (joined.has("ops")) {
        joined.get("ops").forEach(this::apply);
      }
      seenSeq = joined.get("seq").asLong();
    }
    return joined;
  }

  JsonNode set(String room, String key, Object value) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put(key, value);
    return submit(room, List.of(change(values)));
  }

  Map<String, Object> change(Map<String, Object> values) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("localSeq", ++localSeq);
    c.put("baseSeq", seenSeq);
    c.put("set", values);
    return c;
  }

  JsonNode submit(String room, List<Map<String, Object>> changes) {
    return request(Map.of("type", "submit", "room", room, "changes", changes));
  }

  /** Folds every relayed ops message received so far into {@link #state}. */
  void drainOps() {
    for (JsonNode n : ws.all()) {
      if ("ops".equals(n.path("type").asText())) {
        ws.await(m -> m == n);
        n.get("ops").forEach(this::apply);
      }
    }
  }

  void apply(JsonNode op) {
    long seq = op.get("seq").asLong();
    if (seq != seenSeq + 1) {
      throw new AssertionError(clientId + " expected seq " + (seenSeq + 1) + " but got " + seq);
    }
    if (op.has("reset")) {
      state.clear();
    }
    // in an event a null in set is the value null; deleted keys come in delete
    JsonNode values = op.has("set") ? op.get("set") : op.get("reset");
    values.fields().forEachRemaining(e -> state.put(e.getKey(), e.getValue()));
    op.path("delete").forEach(key -> state.remove(key.asText()));
    seenSeq = seq;
  }

  /**
   * An op as the server relays it, for folding a writer's own acked change: {@code values} as
   * the request sent them, where null deletes.
   */
  static JsonNode op(long seq, Map<String, Object> values) {
    ObjectNode op = JSON.createObjectNode().put("seq", seq);
    ObjectNode set = op.putObject("set");
    ArrayNode delete = op.putArray("delete");
    values.forEach((key, value) -> {
      if (value == null) {
        delete.add(key);
      } else {
        set.set(key, JSON.valueToTree(value));
      }
    });
    return op;
  }

  @Override
  public void close() {
    ws.close();
  }
}
