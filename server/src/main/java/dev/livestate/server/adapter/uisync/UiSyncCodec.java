package dev.livestate.server.adapter.uisync;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.livestate.op.Json;
import dev.livestate.protocol.LoneSurrogates;
import io.socket.engineio.server.parser.Packet;
import java.io.IOException;
import java.io.StringReader;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.json.JSONObject;

/**
 * UI sync events ↔ records and Socket.IO packets. Inbound events are read from the packet's text
 * with the server's Jackson setup, so its read limits apply, numbers keep their exact text and
 * objects their key order; only what that reading leaves to socket.io-server comes as the values
 * it decoded (org.json types, written back to text and read the same way; an org.json object has
 * lost its key order, and a number its trailing zeros, by then). Outbound events are encoded
 * once into an Engine.IO packet that any number of sockets can share. Pure: no sockets, no
 * engine.
 */
final class UiSyncCodec {
  private final ObjectMapper json;

  UiSyncCodec(ObjectMapper json) {
    this.json = json.copy()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
  }

  // ---- inbound ----

  /**
   * An event as socket.io-server decoded it (org.json values, or a JSON string). Only what
   * {@link #readEvent} leaves to the library comes this way: events sent with an ack id, and
   * JSON that Jackson refuses but org.json takes.
   */
  UiSyncRequest decode(String event, Object[] args) {
    UiSyncRequest bare = withoutPayload(event);
    if (bare != null) {
      return bare;
    }
    Object arg = args.length > 0 ? args[0] : null;
    return withPayload(event, arg instanceof String s ? TextNode.valueOf(s) : tree(arg));
  }

  /**
   * A Socket.IO packet as engine.io-server hands it over, read in one pass when it is an event
   * on the main namespace without an ack id ({@code 2["name", payload, ...]}) and JSON the
   * server's reader takes; null for anything else, which socket.io-server's own decoder then
   * handles as it always has (it parses into org.json, which {@link #decode} would write back
   * to text and read again).
   */
  UiSyncRequest readEvent(String packet) {
    if (packet.length() < 3 || packet.charAt(0) != '2' || packet.charAt(1) != '[') {
      return null;
    }
    StringReader array = new StringReader(packet);
    try (JsonParser p = json.createParser(array)) {
      array.skip(1);
      p.nextToken();
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        return null; // socket.io-server makes a name of any value but null: let it
      }
      String event = p.getText();
      JsonNode first = null;
      int args = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        // every argument is read, as the library would, so one it refuses is left to it
        JsonNode arg = json.readTree(p);
        if (args++ == 0) {
          first = arg;
        }
      }
      if (p.nextToken() != null) {
        return null; // trailing text: the library reads the first value and ignores the rest
      }
      UiSyncRequest bare = withoutPayload(event);
      return bare != null ? bare : withPayload(event, first == null || first.isNull() ? null : first);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The request for an event that carries no payload the server reads, else null. */
  private static UiSyncRequest withoutPayload(String event) {
    return switch (event) {
      case "my_ping" -> new UiSyncRequest.MyPing();
      case "join_room", "leave_room", "remove_leader", "ui_change", "new_leader" -> null;
      default -> new UiSyncRequest.Unknown(event);
    };
  }

  /** {@code arg}: the event's first argument, null when it has none or it is JSON null. */
  private UiSyncRequest withPayload(String event, JsonNode arg) {
    JsonNode payload = arg;
    if (arg != null && arg.isTextual()) {
      String text = arg.textValue();
      if (event.equals("new_leader")) {
        try {
          payload = json.readTree(text);
        } catch (JsonProcessingException e) {
          return invalid(event, null, "payload is not valid JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
          // read as exact decimals, a number whose exponent no BigDecimal holds is refused here
          return invalid(event, null, "payload holds a number out of range");
        }
      } else {
        payload = objectIn(text);
      }
    }
    Optional<String> loneSurrogate = LoneSurrogates.refusal(payload);
    if (loneSurrogate.isPresent()) {
      return invalid(event, null, loneSurrogate.get());
    }
    return switch (event) {
      case "ui_change" -> uiChange(payload);
      case "new_leader" -> newLeader(payload);
      default -> siteOnly(event, payload);
    };
  }

  private UiSyncRequest siteOnly(String event, JsonNode payload) {
    String site = site(payload);
    if (site == null) {
      return invalid(event, null, "payload must be an object with a non-empty string site");
    }
    return switch (event) {
      case "join_room" -> new UiSyncRequest.JoinRoom(site);
      case "leave_room" -> new UiSyncRequest.LeaveRoom(site);
      default -> new UiSyncRequest.RemoveLeader(site);
    };
  }

  private UiSyncRequest uiChange(JsonNode payload) {
    String site = site(payload);
    if (site == null) {
      return invalid("ui_change", null, "payload must be an object with a non-empty string site");
    }
    JsonNode key = payload.get("mutation_name");
    if (key == null || !key.isTextual() || key.asText().isEmpty()) {
      return invalid("ui_change", site, "mutation_name must be a non-empty string");
    }
    // A missing new_val is what JSON makes of JavaScript's undefined. Either way the key holds
    // the value null, as the original's dict did, never a delete.
    JsonNode value = payload.get("new_val");
    return new UiSyncRequest.UiChange(site, key.asText(),
        value == null || value.isNull() ? Json.NULL : new Json(write(value)));
  }

  private UiSyncRequest newLeader(JsonNode payload) {
    String site = site(payload);
    if (site == null) {
      return invalid("new_leader", null, "payload must be an object with a non-empty string site");
    }
    JsonNode leader = payload.get("leader");
    if (leader == null || !leader.isObject()) {
      return invalid("new_leader", site, "leader must be an object with a name");
    }
    JsonNode name = leader.get("name");
    if (name == null || !name.isTextual() || name.asText().isEmpty()) {
      return invalid("new_leader", site, "leader.name must be a non-empty string");
    }
    JsonNode snapshot = payload.get("full_state_snapshot");
    Map<String, Json> values = new LinkedHashMap<>();
    if (snapshot != null && !snapshot.isNull()) {
      if (!snapshot.isObject()) {
        return invalid("new_leader", site, "full_state_snapshot must be an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = snapshot.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        // JSON null is a value the key keeps: a follower joining later gets it too
        values.put(e.getKey(), e.getValue().isNull() ? Json.NULL : new Json(write(e.getValue())));
      }
    }
    JsonNode id = leader.get("id");
    String identity = id != null && (id.isTextual() || id.isNumber()) && !id.asText().isEmpty()
        ? "id:" + id.asText() : "name:" + name.asText();
    String secret = text(payload.get("secret"));
    if (secret == null) {
      secret = text(payload.get("token"));
    }
    return new UiSyncRequest.NewLeader(site, values, new Json(write(leader)), name.asText(),
        identity, secret);
  }

  /** The secret a client presented when it connected ({@code io(url, {auth: {token}})}). */
  String connectSecret(Object connectData) {
    JsonNode auth = tree(connectData);
    if (auth == null) {
      return null;
    }
    String t = text(auth.get("token"));
    return t != null ? t : text(auth.get("secret"));
  }

  /** The token a client connected with ({@code io(url, {auth: {token}})}), or null. */
  String connectToken(Object connectData) {
    JsonNode auth = tree(connectData);
    return auth == null ? null : text(auth.get("token"));
  }

  private static String text(JsonNode n) {
    return n != null && n.isTextual() ? n.asText() : null;
  }

  private static String site(JsonNode payload) {
    if (payload == null || !payload.isObject()) {
      return null;
    }
    JsonNode site = payload.get("site");
    if (site == null || !site.isTextual() || site.asText().isEmpty()) {
      return null;
    }
    return site.asText();
  }

  /** An org.json argument as a Jackson tree (null when it is no JSON the server accepts). */
  private JsonNode tree(Object arg) {
    if (arg == null) {
      return null;
    }
    if (arg instanceof String s) {
      return objectIn(s);
    }
    try {
      return json.readTree(JSONObject.valueToString(arg));
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  /** The original frontend sends some payloads as JSON text: an object in a string, else null. */
  private JsonNode objectIn(String text) {
    try {
      JsonNode n = json.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  private String write(JsonNode node) {
    try {
      return json.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static UiSyncRequest invalid(String event, String site, String message) {
    return new UiSyncRequest.Invalid(event, site, UiSyncError.INVALID_PAYLOAD, message);
  }

  // ---- outbound ----

  /** {@code confirm_connect}: the led sites, {@code {leaders: {site: name}}}, to a new client. */
  Outbound confirmConnect(Map<String, String> leaders) {
    return leaders(Sent.CONFIRM_CONNECT, leaders);
  }

  /** {@code all_leaders}: the led sites, to the other clients when a leader comes or goes. */
  Outbound allLeaders(Map<String, String> leaders) {
    return leaders(Sent.ALL_LEADERS, leaders);
  }

  Outbound confirmFollowerStart(String site) {
    return siteEvent(Sent.CONFIRM_FOLLOWER_START, site);
  }

  Outbound confirmFollowerEnd(String site) {
    return siteEvent(Sent.CONFIRM_FOLLOWER_END, site);
  }

  Outbound confirmLeaderStart(String site) {
    return siteEvent(Sent.CONFIRM_LEADER_START, site);
  }

  Outbound confirmLeaderEnd(String site) {
    return siteEvent(Sent.CONFIRM_LEADER_END, site);
  }

  /** {@code my_pong}, with no argument. */
  Outbound pong() {
    return packet(Sent.MY_PONG, null);
  }

  private Outbound siteEvent(Sent event, String site) {
    ObjectNode o = json.createObjectNode().put("site", site);
    return packet(event, write(o));
  }

  private Outbound leaders(Sent event, Map<String, String> leaders) {
    ObjectNode o = json.createObjectNode();
    ObjectNode l = o.putObject("leaders");
    leaders.forEach(l::put);
    return packet(event, write(o));
  }

  /** {@code full_state_snapshot {state_snapshot, leader}}: values and leader as stored, raw. */
  Outbound fullStateSnapshot(Map<String, Json> state, Json leader) {
    StringBuilder b = new StringBuilder(64 + state.size() * 32).append("{\"state_snapshot\":{");
    boolean first = true;
    for (Map.Entry<String, Json> e : state.entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      quote(b, e.getKey()).append(':').append(raw(e.getValue()));
    }
    b.append("},\"leader\":").append(raw(leader)).append('}');
    return packet(Sent.FULL_STATE_SNAPSHOT, b.toString());
  }

  /** The value of a site's {@link UiSyncSite#LEADER}: its latest leader, by socket id. */
  Json leaderEntry(String socketId, UiSyncSite.LeaderInfo info) {
    StringBuilder b = new StringBuilder("{\"socket\":");
    quote(b, socketId).append(",\"name\":");
    quote(b, info.name()).append(",\"leader\":").append(raw(info.leader())).append('}');
    return new Json(b.toString());
  }

  /** The socket id and leader info a {@link #leaderEntry} holds, or null if it is not one. */
  Map.Entry<String, UiSyncSite.LeaderInfo> readLeaderEntry(Json entry) {
    try {
      JsonNode n = json.readTree(entry.text());
      if (!n.path("socket").isTextual() || !n.path("name").isTextual()) {
        return null;
      }
      JsonNode leader = n.get("leader");
      return Map.entry(n.get("socket").asText(), new UiSyncSite.LeaderInfo(n.get("name").asText(),
          leader == null || leader.isNull() ? null : new Json(write(leader))));
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** {@code new_state {key, new_val}}: one changed value, raw. */
  Outbound newState(String key, Json value) {
    String text = raw(value);
    StringBuilder b = new StringBuilder(32 + key.length() + text.length()).append("{\"key\":");
    quote(b, key).append(",\"new_val\":").append(text).append('}');
    return packet(Sent.NEW_STATE, b.toString());
  }

  private static String raw(Json value) {
    return value == null ? "null" : value.text();
  }

  Outbound noMoreLeader(String site, String leaderName) {
    ObjectNode o = json.createObjectNode().put("site", site).put("leader_name", leaderName);
    return packet(Sent.NO_MORE_LEADER, write(o));
  }

  /** {@code error {event, site, reason, message}}: the request {@code event} was refused. */
  Outbound error(String event, String site, UiSyncError error, String message) {
    ObjectNode o = json.createObjectNode().put("event", event);
    if (site != null) {
      o.put("site", site);
    }
    o.put("reason", error.code()).put("message", message);
    return packet(Sent.ERROR, write(o));
  }

  /**
   * Appends {@code s} as a JSON string, escaped as the server's Jackson writer escapes it (only
   * what JSON requires), without a generator per string.
   */
  private static StringBuilder quote(StringBuilder b, String s) {
    b.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, b);
    return b.append('"');
  }

  /**
   * The Socket.IO EVENT packet {@code 2[name, payload]} on the main namespace (no namespace, no
   * ack id: the text socket.io-server's encoder makes of it), as the Engine.IO message every
   * socket can be sent.
   */
  private static Outbound packet(Sent event, String payloadJson) {
    String text = payloadJson == null
        ? event.opening + "]"
        : event.opening + "," + payloadJson + "]";
    return Outbound.of(new Packet<>(Packet.MESSAGE, text));
  }

  /** The events the server sends, each with its packet's opening, {@code 2["name"}. */
  private enum Sent {
    CONFIRM_CONNECT, ALL_LEADERS, CONFIRM_FOLLOWER_START, CONFIRM_FOLLOWER_END,
    CONFIRM_LEADER_START, CONFIRM_LEADER_END, MY_PONG, FULL_STATE_SNAPSHOT, NEW_STATE,
    NO_MORE_LEADER, ERROR;

    /** The name is the constant's, in lower case: no character of it needs escaping. */
    final String opening = "2[\"" + name().toLowerCase(Locale.ROOT) + "\"";
  }
}
