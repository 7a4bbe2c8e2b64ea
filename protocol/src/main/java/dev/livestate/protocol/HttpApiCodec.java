package dev.livestate.protocol;

import static dev.livestate.protocol.WireJson.streamMessage;
import static dev.livestate.protocol.WireJson.values;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.livestate.engine.RoomHandle;
import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.CatchUp;
import java.util.Collection;
import java.util.List;

/**
 * The native protocol's HTTP API (docs/protocol.md, "HTTP API"): reads request bodies and encodes
 * answers as JSON text. It is the same wire as the WebSocket's: a PUT's body is a join's room
 * config, state and stream messages have the messages' shapes, errors the catalogue's codes.
 * Stored values are embedded as the engine holds them. No I/O.
 */
public final class HttpApiCodec {
  private final ObjectMapper json;

  /** @param json reads bodies, with the server's read constraints (as {@link RequestCodec}) */
  public HttpApiCodec(ObjectMapper json) {
    this.json = json;
  }

  /**
   * A body as JSON, read but not yet judged (a PUT for an existing room is answered whatever its
   * config says); a blank or missing body is a missing node.
   */
  public JsonNode body(String text) {
    if (text == null || text.isBlank()) {
      return MissingNode.getInstance();
    }
    JsonNode body;
    try {
      body = json.readTree(text);
    } catch (JsonProcessingException e) {
      throw ErrorCode.INVALID_JSON.with(e.getOriginalMessage());
    }
    LoneSurrogates.refusal(body).ifPresent(m -> {
      throw ErrorCode.INVALID_JSON.with(m);
    });
    return body;
  }

  /** The room config a PUT's body asks for: none (or null) is the default config. */
  public RoomConfig roomConfig(JsonNode body) {
    return body.isMissingNode() || body.isNull() ? RoomConfig.DEFAULT : RequestCodec.config(body);
  }

  /** What a POST to a stream publishes: any JSON, which it requires. */
  public Json messageBody(String text) {
    JsonNode body = body(text);
    if (body.isMissingNode()) {
      throw ErrorCode.BAD_REQUEST.with("a JSON body is required");
    }
    // written back the way the WebSocket's codec keeps a value: compact, as Jackson prints it
    return new Json(body.toString());
  }

  public static String health(int rooms, long uptimeSeconds) {
    return health(rooms, uptimeSeconds, false);
  }

  /**
   * The server's health: {@code ok}, or {@code degraded} with {@code "store":"failing"} while a
   * store fails its writes (rooms refuse requests with room_failed until it works again).
   */
  public static String health(int rooms, long uptimeSeconds, boolean storeFailing) {
    return health(rooms, uptimeSeconds, storeFailing, null);
  }

  /** As above, from a node of a cluster: {@code node} names it (null: a single node). */
  public static String health(int rooms, long uptimeSeconds, boolean storeFailing,
      String node) {
    return WireJson.text(g -> {
      g.writeStartObject();
      g.writeStringField("status", storeFailing ? "degraded" : "ok");
      if (node != null) {
        g.writeStringField("node", node);
      }
      if (storeFailing) {
        g.writeStringField("store", "failing");
      }
      g.writeNumberField("rooms", rooms);
      g.writeNumberField("uptimeSeconds", uptimeSeconds);
      g.writeEndObject();
    });
  }

  public static String rooms(Collection<RoomHandle> rooms) {
    return WireJson.text(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("rooms");
      for (RoomHandle r : rooms) {
        g.writeStartObject();
        g.writeStringField("name", r.name());
        g.writeStringField("epoch", r.head().epoch());
        g.writeNumberField("seq", r.head().seq());
        g.writeStringField("policy", r.config().policy().wireName());
        g.writeBooleanField("durable", r.config().durable());
        g.writeStringField("leader", r.leader());
        g.writeNumberField("subscribers", r.subscriberCount());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  public static String snapshot(String room, CatchUp.Snapshot s) {
    return WireJson.text(g -> {
      g.writeStartObject();
      g.writeStringField("room", room);
      g.writeStringField("epoch", s.head().epoch());
      g.writeNumberField("seq", s.head().seq());
      g.writeFieldName("state");
      values(g, s.values());
      g.writeEndObject();
    });
  }

  /** The answer to a PUT: whether it made the room or found it there. */
  public static String created(String room, boolean created) {
    return WireJson.text(g -> {
      g.writeStartObject();
      g.writeStringField("room", room);
      g.writeBooleanField("created", created);
      g.writeEndObject();
    });
  }

  public static String deleted(String room) {
    return WireJson.text(g -> {
      g.writeStartObject();
      g.writeStringField("room", room);
      g.writeBooleanField("deleted", true);
      g.writeEndObject();
    });
  }

  public static String published(StreamMessage m) {
    return WireJson.text(g -> streamMessage(g, m));
  }

  public static String messages(String room, List<StreamMessage> messages) {
    return WireJson.text(g -> {
      g.writeStartObject();
      g.writeStringField("room", room);
      g.writeArrayFieldStart("messages");
      for (StreamMessage m : messages) {
        streamMessage(g, m);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /** {@code {"error":{"code","message"}}}. */
  public static String error(ErrorCode code, String message) {
    return WireJson.text(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeStringField("code", code.code());
      g.writeStringField("message", message);
      g.writeEndObject();
      g.writeEndObject();
    });
  }
}
