package dev.livestate.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import dev.livestate.room.Position;
import dev.livestate.room.Role;
import dev.livestate.room.Room;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Takeover;
import dev.livestate.room.WriteAccess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Decodes native protocol requests from JSON text, validating every field. No I/O. */
public final class RequestCodec {
  static final int MAX_NAME = 256;
  static final int MAX_CHANGES = 10_000;
  /** The longest token (a signed JWT with its grants) or resume secret accepted. */
  static final int MAX_TOKEN = 16 * 1024;

  private final ObjectMapper json;

  /**
   * @param json reads the frames; its read constraints (nesting depth, document and string
   *     length, duplicate keys) are the server's limits, so it is built by the server from them
   */
  public RequestCodec(ObjectMapper json) {
    this.json = json;
  }

  /**
   * The request in {@code text}.
   *
   * @throws Failed a request that is JSON but not a valid request, with the id to echo
   * @throws ProtocolException text that is not a JSON object, or whose id holds a lone surrogate,
   *     so there is no id to echo
   */
  public Request decode(String text) {
    JsonNode root;
    try {
      root = json.readTree(text);
    } catch (JsonProcessingException e) {
      Object id = idOf(text);
      if (id != null) {
        throw new Failed(id, ErrorCode.INVALID_JSON.with(e.getOriginalMessage()));
      }
      throw ErrorCode.INVALID_JSON.with(e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw ErrorCode.BAD_REQUEST.with("a request must be a JSON object");
    }
    JsonNode idNode = root.get("id");
    Optional<String> loneSurrogate = LoneSurrogates.refusal(root);
    if (loneSurrogate.isPresent()) {
      // the error echoes the id only if the id itself is text the answer can carry
      ProtocolException refused = ErrorCode.INVALID_JSON.with(loneSurrogate.get());
      throw LoneSurrogates.refusal(idNode).isEmpty() ? new Failed(id(idNode), refused) : refused;
    }
    Object id = id(idNode);
    JsonNode typeNode = root.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      throw new Failed(id, ErrorCode.BAD_REQUEST.with("'type' must be a string"));
    }
    try {
      return switch (typeNode.textValue()) {
        case "hello" -> new Request.Hello(id, optText(root, "clientId"), optToken(root, "token"),
            optToken(root, "resume"));
        case "join" -> join(id, root);
        case "leave" -> new Request.Leave(id, room(root));
        case "submit" -> new Request.Submit(id, room(root), changes(root),
            root.has("seenThrough") ? number(root, "seenThrough") : Room.NOTHING_CONFIRMED);
        case "lead" -> new Request.Lead(id, room(root));
        case "unlead" -> new Request.Unlead(id, room(root));
        case "presence" -> new Request.SetPresence(id, room(root), value(root, "data"));
        case "publish" -> new Request.Publish(id, room(root), value(root, "body"),
            root.has("time") ? number(root, "time") : null);
        case "history" -> new Request.History(id, room(root),
            root.has("from") ? number(root, "from") : 0L,
            root.has("to") ? number(root, "to") : Long.MAX_VALUE);
        case "ping" -> new Request.Ping(id);
        case "refresh" -> new Request.Refresh(id, token(root));
        default -> throw ErrorCode.UNKNOWN_TYPE.with("unknown type '" + typeNode.textValue() + "'");
      };
    } catch (ProtocolException e) {
      throw new Failed(id, e);
    }
  }

  /** A request that could not be decoded, with the id to echo if it had one. */
  public static final class Failed extends RuntimeException {
    private final Object id;
    private final ProtocolException cause;

    Failed(Object id, ProtocolException cause) {
      super(cause.getMessage(), null, false, false);
      this.id = id;
      this.cause = cause;
    }

    public Object id() {
      return id;
    }

    public ErrorCode error() {
      return cause.error();
    }
  }

  /**
   * The id of a request that cannot be read whole (broken off, nested too deeply): a valid id
   * among its top-level fields before the fault, else null.
   */
  private Object idOf(String text) {
    try (JsonParser p = json.getFactory().createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("id")) {
          if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType
              .BIG_INTEGER) {
            return p.getLongValue();
          }
          return value == JsonToken.VALUE_STRING && p.getTextLength() <= MAX_NAME
              ? p.getText() : null;
        }
        p.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  private static Object id(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.longValue();
    }
    if (n.isTextual() && n.textValue().length() <= MAX_NAME) {
      return n.textValue();
    }
    throw new Failed(null, ErrorCode.BAD_REQUEST.with("'id' must be an integer or a short string"));
  }

  private Request.Join join(Object id, JsonNode root) {
    String room = room(root);
    Role role = null;
    String roleText = optText(root, "role");
    if (roleText != null) {
      role = switch (roleText) {
        case "leader" -> Role.LEADER;
        case "writer" -> Role.WRITER;
        case "reader" -> Role.READER;
        default -> throw ErrorCode.BAD_REQUEST.with("'role' must be leader, writer or reader");
      };
    }
    Integer priority = root.has("priority") ? (int) boundedInt(root, "priority") : null;
    Position since = null;
    JsonNode s = root.get("since");
    if (s != null && !s.isNull()) {
      if (!s.isObject()) {
        throw ErrorCode.BAD_REQUEST.with("'since' must be {epoch, seq}");
      }
      String epoch = text(s, "epoch");
      long seq = number(s, "seq");
      if (seq < 0) {
        throw ErrorCode.BAD_REQUEST.with("'since.seq' must be >= 0");
      }
      since = new Position(epoch, seq);
    }
    RoomConfig create = null;
    JsonNode c = root.get("create");
    if (c != null && !c.isNull() && !c.isBoolean()) {
      create = config(c);
    } else if (c != null && c.isBoolean() && c.booleanValue()) {
      create = RoomConfig.DEFAULT;
    }
    return new Request.Join(id, room, role, priority, since, create, optToken(root, "token"));
  }

  /**
   * Reads a room config: a join's {@code create}, or the body of the HTTP API's PUT. Fields left
   * out keep their defaults.
   */
  static RoomConfig config(JsonNode c) {
    if (!c.isObject()) {
      throw ErrorCode.BAD_REQUEST.with("'create' must be true or a config object");
    }
    RoomConfig r = RoomConfig.DEFAULT;
    try {
      String policy = optText(c, "policy");
      if (policy != null) {
        r = r.withPolicy(ConflictPolicy.fromWireName(policy));
      }
      if (c.has("durable")) {
        if (!c.get("durable").isBoolean()) {
          throw ErrorCode.BAD_REQUEST.with("'durable' must be a boolean");
        }
        r = r.withDurable(c.get("durable").booleanValue());
      }
      if (c.has("retainOps") || c.has("retainSeconds")) {
        int ops = c.has("retainOps") ? (int) boundedInt(c, "retainOps") : r.retainOps();
        Duration age = c.has("retainSeconds")
            ? Duration.ofSeconds(number(c, "retainSeconds")) : r.retainAge();
        r = r.withRetention(ops, age);
      }
      if (c.has("retainBytes")) {
        r = r.withRetainBytes(number(c, "retainBytes"));
      }
      String access = optText(c, "writeAccess");
      if (access != null) {
        r = r.withWriteAccess(
            WriteAccess.valueOf(access.toUpperCase(Locale.ROOT).replace('-', '_')));
      }
      String takeover = optText(c, "takeover");
      if (takeover != null) {
        r = r.withTakeover(Takeover.valueOf(takeover.toUpperCase(Locale.ROOT)));
      }
      if (c.has("presenceTimeoutSeconds")) {
        r = r.withPresenceTimeout(Duration.ofSeconds(number(c, "presenceTimeoutSeconds")));
      }
      if (c.has("streamTtlSeconds")) {
        r = r.withStream(Duration.ofSeconds(number(c, "streamTtlSeconds")), r.streamLimit());
      }
      return r;
    } catch (IllegalArgumentException e) {
      throw ErrorCode.BAD_REQUEST.with("bad room config: " + e.getMessage());
    }
  }

  private List<Proposal> changes(JsonNode root) {
    JsonNode list = root.get("changes");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw ErrorCode.BAD_REQUEST.with("'changes' must be a non-empty array");
    }
    if (list.size() > MAX_CHANGES) {
      throw ErrorCode.BAD_REQUEST.with("at most " + MAX_CHANGES + " changes per submit");
    }
    List<Proposal> proposals = new ArrayList<>(list.size());
    for (JsonNode c : list) {
      if (!c.isObject()) {
        throw ErrorCode.BAD_REQUEST.with("each change must be an object");
      }
      long localSeq = number(c, "localSeq");
      long baseSeq = number(c, "baseSeq");
      if (baseSeq < 0) {
        throw ErrorCode.BAD_REQUEST.with("'baseSeq' must be >= 0");
      }
      proposals.add(new Proposal(localSeq, baseSeq, change(c)));
    }
    return proposals;
  }

  /**
   * A change's {@code set} and {@code delete} (either or both), or its {@code reset} alone. In a
   * request a null in {@code set} deletes its key, as it always has, and a null in {@code reset}
   * leaves its key out: events, not requests, are where null is a value.
   */
  private static Change change(JsonNode c) {
    JsonNode set = c.get("set");
    JsonNode delete = c.get("delete");
    JsonNode reset = c.get("reset");
    if (reset != null ? set != null || delete != null : set == null && delete == null) {
      throw ErrorCode.BAD_REQUEST.with(
          "each change needs 'set' and/or 'delete', or else 'reset' alone");
    }
    Map<String, Json> values = new LinkedHashMap<>();
    if (reset != null) {
      values(reset, values, false);
      return new Change.Reset(values);
    }
    if (set != null) {
      values(set, values, true);
    }
    if (delete != null) {
      if (!delete.isArray()) {
        throw ErrorCode.BAD_REQUEST.with("'delete' must be an array of keys");
      }
      for (JsonNode key : delete) {
        if (!key.isTextual()) {
          throw ErrorCode.BAD_REQUEST.with("'delete' must list keys as strings");
        }
        if (values.get(key.textValue()) != null) {
          throw ErrorCode.BAD_REQUEST.with("'" + key.textValue() + "' is both set and deleted");
        }
        values.put(key.textValue(), null);
      }
    }
    return new Change.Put(values);
  }

  /** Reads {@code set} or {@code reset} into {@code values}; a null deletes, or is left out. */
  private static void values(JsonNode object, Map<String, Json> values, boolean nullDeletes) {
    if (!object.isObject()) {
      throw ErrorCode.BAD_REQUEST.with("'set' and 'reset' must be objects of key → value");
    }
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isNull()) {
        values.put(e.getKey(), new Json(e.getValue().toString()));
      } else if (nullDeletes) {
        values.put(e.getKey(), null);
      }
    }
  }

  private static String room(JsonNode root) {
    String room = text(root, "room");
    if (room.isEmpty() || room.length() > MAX_NAME) {
      throw ErrorCode.BAD_REQUEST.with("'room' must be 1 to " + MAX_NAME + " characters");
    }
    return room;
  }

  private static Json value(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null) {
      throw ErrorCode.BAD_REQUEST.with("'" + field + "' is required");
    }
    return new Json(v.toString());
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw ErrorCode.BAD_REQUEST.with("'" + field + "' must be a string");
    }
    return v.textValue();
  }

  private static String optText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.textValue().length() > MAX_NAME) {
      throw ErrorCode.BAD_REQUEST.with("'" + field + "' must be a string of at most " + MAX_NAME
          + " characters");
    }
    return v.textValue();
  }

  private static String token(JsonNode n) {
    String token = optToken(n, "token");
    if (token == null || token.isEmpty()) {
      throw ErrorCode.BAD_REQUEST.with("'token' must be a non-empty string");
    }
    return token;
  }

  private static String optToken(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.textValue().length() > MAX_TOKEN) {
      throw ErrorCode.BAD_REQUEST.with("'" + field + "' must be a string of at most " + MAX_TOKEN
          + " characters");
    }
    return v.textValue();
  }

  private static long number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ErrorCode.BAD_REQUEST.with("'" + field + "' must be an integer");
    }
    return v.longValue();
  }

  private static long boundedInt(JsonNode n, String field) {
    long v = number(n, field);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw ErrorCode.BAD_REQUEST.with("'" + field + "' is out of range");
    }
    return v;
  }
}
