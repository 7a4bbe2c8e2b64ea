package dev.livestate.server.adapter.synk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.op.Json;
import dev.livestate.protocol.LoneSurrogates;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The Supersynk wire format, both forms. A client's data is kept (as its presence record) in the
 * form it was posted: seed form {@code {"c":id,"d":[{"k","v"},...]}}, later form the posted
 * object re-serialised with {@code client_id} first. Answers in one form convert records posted
 * in the other (and records set by other protocols) on the way out. Thread-safe.
 */
final class SynkCodec {
  /** The room of a channel is this prefix plus the channel id. */
  static final String ROOM_PREFIX = "synk:";
  static final int MAX_ID_LENGTH = 200;

  /** Which of the two request forms. */
  enum Form { SEED, API }

  /** A client's post: who, and the record to keep for it. */
  record Post(String clientId, Json record) {}

  /**
   * A body the protocol refuses; its message is the reason. Answered with {@link #refusal}, or
   * for what is not the body (a header, the channel id) {@code {"error": "invalid input
   * (reason)"}}.
   */
  static final class Invalid extends RuntimeException {
    private final String input;

    Invalid(String reason) {
      this(reason, null);
    }

    private Invalid(String reason, String input) {
      super(reason, null, false, false);
      this.input = input;
    }

    /** The same refusal, of this body. */
    Invalid of(String body) {
      return new Invalid(getMessage(), body);
    }
  }

  /**
   * How much of a refused body its error echoes: the original echoes all of it, which for a
   * body of megabytes would only double the answer.
   */
  static final int MAX_ECHO = 1000;

  private static final String API_START = "{\"client_id\":";
  private static final String SEED_START = "{\"c\":";

  private final ObjectMapper json;

  SynkCodec(ObjectMapper json) {
    this.json = json;
  }

  /**
   * Decodes a request body: strict UTF-8 (a body that is not is refused, never decoded with
   * replacement characters), then as {@link #decode(Form, String)}.
   */
  Post decode(Form form, byte[] body) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new Invalid("the body is not UTF-8", "not UTF-8");
    }
    try {
      return decode(form, text);
    } catch (Invalid e) {
      throw e.of(text);
    }
  }

  Post decode(Form form, String body) {
    if (body == null || body.isBlank()) {
      throw new Invalid("empty payload");
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new Invalid("payload is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new Invalid("payload is not a JSON object");
    }
    LoneSurrogates.refusal(root).ifPresent(m -> {
      throw new Invalid(m);
    });
    return form == Form.SEED ? seed((ObjectNode) root) : api((ObjectNode) root);
  }

  private Post seed(ObjectNode root) {
    String id = clientId(root, "c");
    JsonNode d = root.get("d");
    if (d != null && !d.isNull() && !d.isArray()) {
      throw new Invalid("'d' is not an array");
    }
    ObjectNode record = json.createObjectNode();
    record.put("c", id);
    record.set("d", d == null || d.isNull() ? json.createArrayNode() : d);
    return new Post(id, new Json(record.toString()));
  }

  private Post api(ObjectNode root) {
    String id = clientId(root, "client_id");
    ObjectNode record = json.createObjectNode();
    record.put("client_id", id);
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("client_id")) {
        record.set(e.getKey(), e.getValue());
      }
    }
    return new Post(id, new Json(record.toString()));
  }

  private static String clientId(ObjectNode root, String field) {
    JsonNode id = root.get(field);
    if (id == null) {
      throw new Invalid("no '" + field + "'");
    }
    if (!id.isTextual()) {
      throw new Invalid("'" + field + "' is not a string");
    }
    if (id.textValue().isEmpty()) {
      throw new Invalid("'" + field + "' is empty");
    }
    if (id.textValue().length() > MAX_ID_LENGTH) {
      throw new Invalid("'" + field + "' is longer than " + MAX_ID_LENGTH + " characters");
    }
    return id.textValue();
  }

  /**
   * The answer to a refused body, as the original gives it: {@code {"error": "invalid input
   * (<the body>)"}} (its first {@value #MAX_ECHO} characters, then {@code …}), plus the
   * {@code reason} in words. Jackson escapes the echo, so the answer is JSON whatever the body.
   */
  String refusal(Invalid e) {
    String input = e.input == null ? "" : e.input;
    if (input.length() > MAX_ECHO) {
      int end = Character.isHighSurrogate(input.charAt(MAX_ECHO - 1)) ? MAX_ECHO - 1 : MAX_ECHO;
      input = input.substring(0, end) + "…";
    }
    return json.createObjectNode().put("error", "invalid input (" + input + ")")
        .put("reason", e.getMessage()).toString();
  }

  /** Every client's record but {@code exclude}'s (null: everyone), as a JSON array. */
  String list(Map<String, Json> clients, String exclude, Form form) {
    StringBuilder sb = new StringBuilder(2 + clients.size() * 64).append('[');
    boolean first = true;
    for (Map.Entry<String, Json> e : clients.entrySet()) {
      if (e.getKey().equals(exclude)) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      String text = e.getValue().text();
      if (form == Form.API) {
        sb.append(text.startsWith(API_START) ? text : toApi(e.getKey(), text));
      } else {
        sb.append(text.startsWith(SEED_START) ? text : toSeed(e.getKey(), text));
      }
    }
    return sb.append(']').toString();
  }

  /** A seed-form (or foreign) record in the later form. */
  private String toApi(String id, String text) {
    JsonNode node = parse(text);
    ObjectNode out = json.createObjectNode().put("client_id", id);
    if (node.isObject() && node.path("c").isTextual() && node.has("d")) {
      out.set("d", node.get("d"));
    } else if (node.isObject()) {
      node.fields().forEachRemaining(f -> {
        if (!f.getKey().equals("client_id")) {
          out.set(f.getKey(), f.getValue());
        }
      });
    } else {
      out.set("data", node);
    }
    return out.toString();
  }

  /** A later-form (or foreign) record in the seed form: each field becomes a {k, v} pair. */
  private String toSeed(String id, String text) {
    JsonNode node = parse(text);
    ObjectNode out = json.createObjectNode().put("c", id);
    ArrayNode d = out.putArray("d");
    if (node.isObject()) {
      node.fields().forEachRemaining(f -> {
        if (!f.getKey().equals("client_id")) {
          d.addObject().put("k", f.getKey()).set("v", f.getValue());
        }
      });
    } else {
      d.addObject().put("k", "data").set("v", node);
    }
    return out.toString();
  }

  private JsonNode parse(String text) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      return json.getNodeFactory().textNode(text);
    }
  }
}
