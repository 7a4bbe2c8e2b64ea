package dev.livestate.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Takeover;
import dev.livestate.room.WriteAccess;
import java.time.Duration;
import java.util.function.Function;

/**
 * A {@link RoomConfig} as JSON: enums by constant name, durations as ISO-8601 text. A field that
 * is missing (a config stored before the field existed) reads as {@link RoomConfig#DEFAULT}'s.
 */
final class ConfigCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigCodec() {}

  static String write(RoomConfig c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("policy", c.policy().name());
    n.put("durable", c.durable());
    n.put("retainOps", c.retainOps());
    n.put("retainAge", c.retainAge().toString());
    n.put("writeAccess", c.writeAccess().name());
    n.put("takeover", c.takeover().name());
    n.put("presenceTimeout", c.presenceTimeout().toString());
    n.put("streamTtl", c.streamTtl().toString());
    n.put("streamLimit", c.streamLimit());
    n.put("store", c.store());
    n.put("retainBytes", c.retainBytes());
    return n.toString();
  }

  static RoomConfig read(String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored room config is not JSON: " + json, e);
    }
    RoomConfig d = RoomConfig.DEFAULT;
    return new RoomConfig(
        field(n, "policy", d.policy(), v -> ConflictPolicy.valueOf(v.asText())),
        field(n, "durable", d.durable(), JsonNode::asBoolean),
        field(n, "retainOps", d.retainOps(), JsonNode::asInt),
        field(n, "retainAge", d.retainAge(), ConfigCodec::duration),
        field(n, "writeAccess", d.writeAccess(), v -> WriteAccess.valueOf(v.asText())),
        field(n, "takeover", d.takeover(), v -> Takeover.valueOf(v.asText())),
        field(n, "presenceTimeout", d.presenceTimeout(), ConfigCodec::duration),
        field(n, "streamTtl", d.streamTtl(), ConfigCodec::duration),
        field(n, "streamLimit", d.streamLimit(), JsonNode::asInt),
        field(n, "store", d.store(), JsonNode::asText))
        .withRetainBytes(field(n, "retainBytes", d.retainBytes(), JsonNode::asLong));
  }

  private static <T> T field(JsonNode n, String name, T fallback, Function<JsonNode, T> read) {
    JsonNode v = n.get(name);
    return v == null || v.isNull() ? fallback : read.apply(v);
  }

  /** ISO-8601 text as written, or a number of milliseconds as a hand-written config may hold. */
  private static Duration duration(JsonNode v) {
    return v.isNumber() ? Duration.ofMillis(v.asLong()) : Duration.parse(v.asText());
  }
}
