package dev.livestate.server.adapter.userstatus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.engine.RoomEvent;
import dev.livestate.op.Json;
import dev.livestate.protocol.LoneSurrogates;
import dev.livestate.stream.StreamMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The userstatus wire format: validates posted messages and query parameters (throwing {@link
 * StatusError} naming the field), and encodes the stream's messages for {@code recent-logs} and
 * the WebSocket push. Messages are stored in the stream as {@code {"site","message","log_level",
 * "timestamp"}}; a body published through another protocol is mapped as well as it can be (see
 * {@link #fromStream}). Thread-safe.
 */
final class StatusCodec {
  /** The room of a site is this prefix plus the site code. */
  static final String ROOM_PREFIX = "userstatus:";
  static final Set<String> LEVELS = Set.of("debug", "info", "warning", "error", "critical");
  static final int MAX_SITE_LENGTH = 200;
  /** Timestamps must lie in [0, 10^11) seconds (until about the year 5138). */
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(100_000_000_000L);

  /** Stored bodies were validated on the way in; this parses them back for encoding. */
  private static final ObjectMapper STORED = new ObjectMapper();
  private static final JsonFactory FACTORY = STORED.getFactory();

  /** The WebSocket push, {@code {site, message, log_level, timestamp}}, encoded once per event. */
  static final Function<RoomEvent, byte[]> PUSH = StatusCodec::push;

  private StatusCodec() {}

  /** A {@code newlog} body (HTTP or WebSocket) as a message; {@code nowMillis} when untimed. */
  /** A request's JSON as read, refused if a string in it holds a lone surrogate. */
  static JsonNode wellFormed(JsonNode root) {
    LoneSurrogates.refusal(root).ifPresent(m -> {
      throw new StatusError(null, m);
    });
    return root;
  }

  static StatusMessage newLog(JsonNode root, long nowMillis) {
    if (root == null || !root.isObject()) {
      throw new StatusError(null, "the body must be a JSON object");
    }
    String site = site(root.get("site"), "site");
    JsonNode text = root.get("log_message");
    if (text == null || text.isNull()) {
      throw new StatusError("log_message", "missing field 'log_message'");
    }
    if (!text.isTextual()) {
      throw new StatusError("log_message", "'log_message' must be a string");
    }
    String level = "info";
    JsonNode l = root.get("log_level");
    if (l != null && !l.isNull()) {
      if (!l.isTextual() || !LEVELS.contains(l.textValue())) {
        throw new StatusError("log_level",
            "'log_level' must be one of debug, info, warning, error, critical");
      }
      level = l.textValue();
    }
    long seconds = Math.floorDiv(nowMillis, 1000);
    long millis = nowMillis;
    JsonNode t = root.get("timestamp");
    if (t != null && !t.isNull()) {
      if (!t.isNumber()) {
        throw new StatusError("timestamp", "'timestamp' must be a number (unix seconds)");
      }
      // a number beyond a double's range is read as an infinity, which no BigDecimal holds
      BigDecimal ts = Double.isFinite(t.doubleValue()) ? t.decimalValue() : MAX_SECONDS;
      if (ts.signum() < 0 || ts.compareTo(MAX_SECONDS) >= 0) {
        throw new StatusError("timestamp", "'timestamp' must be unix seconds between 0 and 10^11");
      }
      seconds = ts.setScale(0, RoundingMode.FLOOR).longValueExact();
      millis = ts.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact();
    }
    return new StatusMessage(site, text.textValue(), level, seconds, millis);
  }

  /** A site code from a body field or query parameter. */
  static String site(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      throw new StatusError(field, "missing field '" + field + "'");
    }
    if (!node.isTextual()) {
      throw new StatusError(field, "'" + field + "' must be a string");
    }
    return site(node.textValue(), field);
  }

  static String site(String value, String field) {
    if (value == null) {
      throw new StatusError(field, "missing query parameter '" + field + "'");
    }
    if (value.isEmpty() || value.length() > MAX_SITE_LENGTH) {
      throw new StatusError(field, "'" + field + "' must be 1 to " + MAX_SITE_LENGTH + " characters");
    }
    return value;
  }

  /** The {@code after_time} query parameter (unix seconds, integer or decimal). */
  static BigDecimal afterTime(String value) {
    if (value == null) {
      throw new StatusError("after_time", "missing query parameter 'after_time'");
    }
    try {
      BigDecimal after = new BigDecimal(value.trim());
      // Anything this far out selects everything or nothing; keep the arithmetic in range.
      BigDecimal limit = BigDecimal.valueOf(1_000_000_000_000L);
      return after.max(limit.negate()).min(limit);
    } catch (NumberFormatException e) {
      throw new StatusError("after_time", "'after_time' must be a number (unix seconds)");
    }
  }

  /** The first stream time (millis) that can hold a message with timestamp > after. */
  static long fromMillis(BigDecimal after) {
    return (after.setScale(0, RoundingMode.FLOOR).longValueExact() + 1) * 1000;
  }

  /** How a message is kept in the stream. */
  static Json body(StatusMessage m) {
    return new Json(write(g -> {
      g.writeStartObject();
      g.writeStringField("site", m.site());
      g.writeStringField("message", m.message());
      g.writeStringField("log_level", m.level());
      g.writeNumberField("timestamp", m.timestamp());
      g.writeEndObject();
    }, 64 + m.message().length()));
  }

  /**
   * A stream message of {@code site} as a status message. Bodies published through another
   * protocol are mapped: an object's {@code message} (or {@code log_message}) string is the
   * text, else the body itself (a string as is, anything else as its JSON text); a valid
   * {@code log_level} is kept, else info; a numeric {@code timestamp} is kept, else the stream
   * time in seconds.
   */
  static StatusMessage fromStream(String site, StreamMessage m) {
    long seconds = Math.floorDiv(m.time(), 1000);
    JsonNode body;
    try {
      body = STORED.readTree(m.body().text());
    } catch (JsonProcessingException e) {
      return new StatusMessage(site, m.body().text(), "info", seconds, m.time());
    }
    if (body.isTextual()) {
      return new StatusMessage(site, body.textValue(), "info", seconds, m.time());
    }
    if (!body.isObject()) {
      return new StatusMessage(site, body.toString(), "info", seconds, m.time());
    }
    JsonNode text = body.get("message");
    if (text == null || !text.isTextual()) {
      text = body.get("log_message");
    }
    String message = text != null && text.isTextual() ? text.textValue() : body.toString();
    JsonNode l = body.get("log_level");
    String level = l != null && l.isTextual() && LEVELS.contains(l.textValue()) ? l.textValue() : "info";
    JsonNode t = body.get("timestamp");
    if (t != null && t.isNumber()) {
      seconds = t.decimalValue().setScale(0, RoundingMode.FLOOR).longValue();
    }
    return new StatusMessage(site, message, level, seconds, m.time());
  }

  /** {@code recent-logs}: messages with timestamp > after, chronological. */
  static byte[] recent(String site, List<StreamMessage> messages, BigDecimal after) {
    return write(g -> {
      g.writeStartArray();
      for (StreamMessage sm : messages) {
        StatusMessage m = fromStream(site, sm);
        if (BigDecimal.valueOf(m.timestamp()).compareTo(after) <= 0) {
          continue;
        }
        g.writeStartObject();
        g.writeStringField("message", m.message());
        g.writeStringField("log_level", m.level());
        g.writeNumberField("timestamp", m.timestamp());
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }

  /** {@code onlineusers}: one {@code {"ConnectionID"}} per connection of the site. */
  static byte[] online(Iterable<String> connectionIds) {
    return write(g -> {
      g.writeStartArray();
      for (String id : connectionIds) {
        g.writeStartObject();
        g.writeStringField("ConnectionID", id);
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }

  /** The presence record of a WebSocket connection. */
  static Json presence(String connectionId, String site, String startedUtc) {
    return new Json(write(g -> {
      g.writeStartObject();
      g.writeStringField("ConnectionID", connectionId);
      g.writeStringField("site", site);
      g.writeStringField("ConnectionStartedUTC", startedUtc);
      g.writeEndObject();
    }, 128));
  }

  static byte[] error(StatusError e) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("error", e.getMessage());
      if (e.field() != null) {
        g.writeStringField("field", e.field());
      }
      g.writeEndObject();
    }, 96).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] push(RoomEvent event) {
    if (!(event instanceof RoomEvent.Published p)) {
      return null;
    }
    StatusMessage m = fromStream(p.room().substring(ROOM_PREFIX.length()), p.message());
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("site", m.site());
      g.writeStringField("message", m.message());
      g.writeStringField("log_level", m.level());
      // The original pushed the timestamp as a string (a DynamoDB stream number).
      g.writeStringField("timestamp", Long.toString(m.timestamp()));
      g.writeEndObject();
    }, 96 + m.message().length()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] write(Writer w) {
    return write(w, 256).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private interface Writer {
    void to(JsonGenerator g) throws IOException;
  }

  private static String write(Writer w, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      w.to(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
