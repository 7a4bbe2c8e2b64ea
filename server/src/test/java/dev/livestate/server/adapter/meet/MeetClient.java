package dev.livestate.server.adapter.meet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The meet protocol's test conveniences over the one {@link WebSocketClient}: messages by
 * {@code msgType}, the updates this client sent (to fold its own acked changes), waits from a
 * position, since a meet client reads everything it was sent rather than taking replies.
 */
final class MeetClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final WebSocketClient ws;
  private final Map<Long, JsonNode> sent = new ConcurrentHashMap<>();

  /** @param headers of the upgrade request, names and values in turns */
  MeetClient(int port, String... headers) throws Exception {
    ws = WebSocketClient.connectWithHeaders("ws://127.0.0.1:" + port + "/meet", headers);
  }

  static ObjectNode msg(String type) {
    return JSON.createObjectNode().put("msgType", type);
  }

  static boolean is(JsonNode message, String type) {
    return type.equals(message.path("msgType").asText());
  }

  boolean isClosed() {
    return !ws.isOpen();
  }

  void send(String text) {
    ws.send(text);
  }

  void sendBinary(byte[] bytes) {
    ws.sendBinary(bytes);
  }

  /** Sends {@code message}, remembering the updates of an UPDATE_INIT by their localSeqNum. */
  void send(JsonNode message) {
    if (is(message, "UPDATE_INIT")) {
      for (JsonNode u : message.get("updates")) {
        sent.put(u.get("localSeqNum").asLong(), u);
      }
    }
    send(message.toString());
  }

  String sentKey(long localSeq) {
    return sent.get(localSeq).get("updateKey").asText();
  }

  JsonNode sentValue(long localSeq) {
    return sent.get(localSeq).get("updateValue");
  }

  /** How many messages have come: the position the next one will have. */
  int count() {
    return ws.count();
  }

  /** Every message received, in order. */
  List<JsonNode> received() {
    return ws.messages();
  }

  /** The first message received from position {@code from} on that matches, waiting for it. */
  JsonNode await(int from, Predicate<JsonNode> match) {
    return ws.awaitFrom(from, match);
  }

  /** The first message of {@code type} ever received, waiting for it. */
  JsonNode await(String type) {
    return await(0, m -> is(m, type));
  }

  /** Sends and waits for the next message of {@code type} after the send. */
  JsonNode request(JsonNode message, String type) {
    return requestAny(message, type);
  }

  /** Sends and waits for the next message of any of {@code types} after the send. */
  JsonNode requestAny(JsonNode message, String... types) {
    int from = count();
    send(message);
    return await(from, m -> List.of(types).contains(m.path("msgType").asText()));
  }

  /** Every message of {@code type} received so far. */
  List<JsonNode> all(String type) {
    return received().stream().filter(m -> is(m, type)).toList();
  }

  @Override
  public void close() {
    ws.close();
  }
}
