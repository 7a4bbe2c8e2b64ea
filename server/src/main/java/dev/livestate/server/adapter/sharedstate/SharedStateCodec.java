package dev.livestate.server.adapter.sharedstate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.protocol.LoneSurrogates;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decodes and validates shared-state requests. Pure: no I/O, no engine. A request that cannot be
 * served throws {@link Invalid}, carrying whatever of the tunnel and cmd could be read so the
 * reply can say why.
 */
final class SharedStateCodec {
  /** The original's reply data for a path naming no service: clients may compare with it. */
  static final String NO_SERVICE = "no service";

  /** A request that cannot be served; {@code tunnel} and {@code cmd} may be null. */
  static final class Invalid extends Exception {
    final String tunnel;
    final String cmd;

    Invalid(String tunnel, String cmd, String reason) {
      super(reason, null, false, false);
      this.tunnel = tunnel;
      this.cmd = cmd;
    }
  }

  private final ObjectMapper json;
  /** Floats are read as decimals and written plain, so 1712345678.25 stays 1712345678.25. */
  private final ObjectReader reader;
  private final ObjectWriter writer;
  private final Predicate<String> knownService;
  private final long maxMessageChars;

  SharedStateCodec(ObjectMapper json, Predicate<String> knownService, long maxMessageChars) {
    this.json = json;
    this.reader = json.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    this.writer = json.writer().with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    this.knownService = knownService;
    this.maxMessageChars = maxMessageChars;
  }

  SharedStateRequest decode(String text) throws Invalid {
    if (text.length() > maxMessageChars) {
      throw new Invalid(tunnelOf(text), null,
          "message too large: more than " + maxMessageChars + " characters");
    }
    JsonNode msg;
    try {
      msg = reader.readTree(text);
    } catch (JsonProcessingException e) {
      // a tunnel read before the fault (or past a limit of depth or size) is answered on
      throw new Invalid(tunnelOf(text), null, "malformed JSON: " + e.getOriginalMessage());
    } catch (NumberFormatException e) {
      // read as exact decimals, a number whose exponent no BigDecimal holds is refused here
      throw new Invalid(tunnelOf(text), null, "malformed JSON: a number out of range");
    }
    if (msg == null || !msg.isObject()) {
      throw new Invalid(null, null, "a message must be a JSON object");
    }
    JsonNode t = msg.get("tunnel");
    String tunnel = t == null || t.isNull() ? null : t.toString();
    Optional<String> loneSurrogate = LoneSurrogates.refusal(msg);
    if (loneSurrogate.isPresent()) {
      // the reply echoes the tunnel only if the tunnel itself is text it can carry
      throw new Invalid(LoneSurrogates.refusal(t).isEmpty() ? tunnel : null, null,
          loneSurrogate.get());
    }
    JsonNode cmdNode = msg.get("cmd");
    String cmd = cmdNode != null && cmdNode.isTextual() ? cmdNode.asText() : null;
    if (!"REQUEST".equals(msg.path("type").asText(null))) {
      throw new Invalid(tunnel, cmd, "type must be REQUEST");
    }
    if (!"GET".equals(cmd) && !"PUT".equals(cmd)) {
      throw new Invalid(tunnel, cmd, "unknown cmd " + cmdNode + ": expected GET or PUT");
    }
    JsonNode pathNode = msg.get("path");
    if (pathNode == null || !pathNode.isTextual()) {
      throw new Invalid(tunnel, cmd, "missing path");
    }
    String path = pathNode.asText();
    String normal = CollectionPath.normalise(path);
    if (cmd.equals("GET")) {
      switch (normal) {
        case "/":
          return new SharedStateRequest.ListServices(tunnel);
        case "/subs":
          return new SharedStateRequest.GetSubs(tunnel);
        case "/clock":
          return new SharedStateRequest.Clock(tunnel);
        default:
          return new SharedStateRequest.GetCollection(tunnel, collection(tunnel, cmd, path));
      }
    }
    JsonNode arg = msg.has("arg") ? msg.get("arg") : msg.get("data");
    if (arg == null || !arg.isObject()) {
      throw new Invalid(tunnel, cmd, "missing arg: PUT needs an object {remove, insert, reset}");
    }
    if (normal.equals("/subs")) {
      return new SharedStateRequest.PutSubs(tunnel, subs(tunnel, arg));
    }
    return update(tunnel, collection(tunnel, cmd, path), arg);
  }

  private CollectionPath collection(String tunnel, String cmd, String path) throws Invalid {
    CollectionPath p = CollectionPath.parse(path);
    if (p == null) {
      throw new Invalid(tunnel, cmd, "invalid path " + quote(path)
          + ": expected /app/service/collection");
    }
    if (!knownService.test(p.service())) {
      throw new Invalid(tunnel, cmd, NO_SERVICE);
    }
    return p;
  }

  private List<SharedStateRequest.Sub> subs(String tunnel, JsonNode arg) throws Invalid {
    JsonNode insert = arg.path("insert");
    if (insert.isMissingNode() || insert.isNull()) {
      return List.of();
    }
    if (!insert.isArray()) {
      throw new Invalid(tunnel, "PUT", "subs: insert must be a list of [path, options]");
    }
    Map<String, SharedStateRequest.Sub> byPath = new LinkedHashMap<>();
    for (JsonNode e : insert) {
      String spelling;
      String options = "{}";
      if (e.isTextual()) {
        spelling = e.asText();
      } else if (e.isArray() && !e.isEmpty() && e.get(0).isTextual()) {
        spelling = e.get(0).asText();
        if (e.size() > 1 && !e.get(1).isNull()) {
          options = e.get(1).toString();
        }
      } else {
        throw new Invalid(tunnel, "PUT", "subs: each entry must be [path, options]");
      }
      CollectionPath p = collection(tunnel, "PUT", spelling);
      byPath.put(p.path(), new SharedStateRequest.Sub(spelling, p, options));
    }
    return new ArrayList<>(byPath.values());
  }

  private SharedStateRequest.Update update(String tunnel, CollectionPath path, JsonNode arg)
      throws Invalid {
    JsonNode resetNode = arg.get("reset");
    if (resetNode != null && !resetNode.isNull() && !resetNode.isBoolean()) {
      throw new Invalid(tunnel, "PUT", "reset must be true or false");
    }
    boolean reset = resetNode != null && resetNode.asBoolean(false);
    Map<String, Json> values = new LinkedHashMap<>();
    if (!reset) {
      for (JsonNode id : list(tunnel, arg, "remove")) {
        if (!id.isTextual()) {
          throw new Invalid(tunnel, "PUT", "remove must list item ids (strings), not " + id);
        }
        values.put(id.asText(), null);
      }
    }
    Set<String> inserted = new LinkedHashSet<>();
    for (JsonNode item : list(tunnel, arg, "insert")) {
      if (!item.isObject()) {
        throw new Invalid(tunnel, "PUT", "insert must list items (objects with an id)");
      }
      JsonNode id = item.get("id");
      if (id == null || !id.isTextual()) {
        throw new Invalid(tunnel, "PUT", "an item needs a string id");
      }
      values.remove(id.asText());
      values.put(id.asText(), new Json(compact(tunnel, item)));
      inserted.add(id.asText());
    }
    if (reset) {
      return new SharedStateRequest.Update(tunnel, path, new Change.Reset(values), inserted.size());
    }
    if (values.isEmpty()) {
      return new SharedStateRequest.Update(tunnel, path, null, 0);
    }
    return new SharedStateRequest.Update(tunnel, path, new Change.Put(values), values.size());
  }

  private static Iterable<JsonNode> list(String tunnel, JsonNode arg, String field) throws Invalid {
    JsonNode n = arg.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new Invalid(tunnel, "PUT", field + " must be a list");
    }
    return n;
  }

  /** The item as stored: numbers written plainly, which one with a huge exponent cannot be. */
  private String compact(String tunnel, JsonNode item) throws Invalid {
    try {
      return writer.writeValueAsString(item);
    } catch (JsonProcessingException e) {
      throw new Invalid(tunnel, "PUT", "an item cannot be stored: " + e.getOriginalMessage());
    }
  }

  private static String quote(String s) {
    String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    return "'" + t + "'";
  }

  /**
   * The top-level tunnel of a message too large to decode, found by streaming over it without
   * building it (null when there is none or the text is not JSON).
   */
  String tunnelOf(String text) {
    try (JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("tunnel") && v.isScalarValue()) {
          if (v == JsonToken.VALUE_STRING && LoneSurrogates.in(p.getText())) {
            return null; // not text a reply can carry
          }
          if (v.isNumeric()) {
            // a number whose exponent no BigDecimal holds fails here: not one to send back
            p.getDecimalValue();
          }
          return v == JsonToken.VALUE_STRING ? json.writeValueAsString(p.getText()) : p.getText();
        }
        p.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }
}
