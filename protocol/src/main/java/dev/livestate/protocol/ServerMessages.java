package dev.livestate.protocol;

import static dev.livestate.protocol.WireJson.raw;
import static dev.livestate.protocol.WireJson.streamMessage;
import static dev.livestate.protocol.WireJson.values;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.livestate.engine.Joined;
import dev.livestate.engine.RoomEvent;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.Leadership;
import dev.livestate.room.Position;
import dev.livestate.state.Entry;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Encodes what the server sends on the native WebSocket, replies to requests and room events, to
 * UTF-8 JSON. Values are written as the raw JSON text the engine holds, never re-encoded. No I/O.
 */
public final class ServerMessages {
  /** Encodes a room event; one shared instance so a broadcast is encoded once for everyone. */
  public static final Function<RoomEvent, byte[]> EVENT = ServerMessages::event;

  private ServerMessages() {}

  /** A message: its type, the id of the request it answers (if any), then its fields. */
  private static byte[] message(String type, Object id, WireJson.Content fields) {
    return WireJson.utf8(g -> {
      g.writeStartObject();
      g.writeStringField("type", type);
      if (id instanceof Long l) {
        g.writeNumberField("id", l);
      } else if (id != null) {
        g.writeStringField("id", id.toString());
      }
      fields.write(g);
      g.writeEndObject();
    });
  }

  public static byte[] welcome(Object id, String clientId) {
    return welcome(id, clientId, null, Long.MAX_VALUE);
  }

  /**
   * @param resume the secret that holds {@code clientId} from now on (open mode), or null
   * @param expires when the connection's token expires (epoch millis; {@link Long#MAX_VALUE}:
   *     never, not written)
   */
  public static byte[] welcome(Object id, String clientId, String resume, long expires) {
    return message("welcome", id, g -> {
      g.writeStringField("clientId", clientId);
      g.writeStringField("server", "livestate");
      g.writeNumberField("protocol", 1);
      if (resume != null) {
        g.writeStringField("resume", resume);
      }
      expires(g, expires);
    });
  }

  /** The connection now holds a fresh token, expiring at {@code expires}. */
  public static byte[] refreshed(Object id, long expires) {
    return message("refreshed", id, g -> expires(g, expires));
  }

  private static void expires(JsonGenerator g, long expires) throws IOException {
    if (expires != Long.MAX_VALUE) {
      g.writeNumberField("expires", expires);
    }
  }

  public static byte[] joined(Object id, String room, Joined j) {
    return joined(id, room, j, false);
  }

  /**
   * The joined reply; with {@code more}, it holds the first part of its catch-up and the rest
   * follows in {@link #snapshotPart} or {@link #opsPart} messages ({@link JoinedParts}).
   */
  static byte[] joined(Object id, String room, Joined j, boolean more) {
    return message("joined", id, g -> {
      g.writeStringField("room", room);
      position(g, j.catchUp().head());
      g.writeStringField("leader", j.leader());
      g.writeBooleanField("sealed", j.sealed());
      g.writeFieldName("presence");
      values(g, j.presence());
      CatchUp c = j.catchUp();
      if (c instanceof CatchUp.Snapshot s) {
        g.writeFieldName("snapshot");
        values(g, s.values());
      } else if (c instanceof CatchUp.Tail t) {
        g.writeFieldName("ops");
        ops(g, t.ops());
      } else {
        g.writeBooleanField("resubmit", true);
      }
      if (more) {
        g.writeBooleanField("more", true);
      }
    });
  }

  public static byte[] result(Object id, String room, List<Outcome> outcomes) {
    return message("result", id, g -> {
      g.writeStringField("room", room);
      g.writeArrayFieldStart("acks");
      for (Outcome o : outcomes) {
        if (o instanceof Outcome.Accepted a) {
          g.writeStartObject();
          g.writeNumberField("localSeq", a.localSeq());
          g.writeNumberField("seq", a.seq());
          g.writeEndObject();
        }
      }
      g.writeEndArray();
      g.writeArrayFieldStart("rejects");
      for (Outcome o : outcomes) {
        if (o instanceof Outcome.Rejected r) {
          g.writeStartObject();
          g.writeNumberField("localSeq", r.localSeq());
          g.writeStringField("code", r.reason().code());
          g.writeStringField("message", r.message());
          g.writeObjectFieldStart("winners");
          for (Map.Entry<String, Entry> w : r.winners().entrySet()) {
            g.writeObjectFieldStart(w.getKey());
            g.writeFieldName("value");
            raw(g, w.getValue().value());
            g.writeNumberField("seq", w.getValue().seq());
            g.writeStringField("writer", w.getValue().writer());
            g.writeEndObject();
          }
          g.writeEndObject();
          g.writeEndObject();
        }
      }
      g.writeEndArray();
    });
  }

  public static byte[] roomReply(String type, Object id, String room) {
    return message(type, id, g -> g.writeStringField("room", room));
  }

  public static byte[] leadership(Object id, String room, Leadership l) {
    return message("lead", id, g -> {
      g.writeStringField("room", room);
      if (l instanceof Leadership.Granted granted) {
        g.writeBooleanField("granted", true);
        g.writeStringField("previous", granted.previous());
      } else if (l instanceof Leadership.Refused refused) {
        g.writeBooleanField("granted", false);
        g.writeStringField("leader", refused.holder());
      }
    });
  }

  public static byte[] unled(Object id, String room, boolean released) {
    return message("unlead", id, g -> {
      g.writeStringField("room", room);
      g.writeBooleanField("released", released);
    });
  }

  public static byte[] published(Object id, String room, StreamMessage m) {
    return message("published", id, g -> {
      g.writeStringField("room", room);
      g.writeNumberField("messageId", m.id());
      g.writeNumberField("time", m.time());
    });
  }

  public static byte[] history(Object id, String room, List<StreamMessage> messages) {
    return message("history", id, g -> {
      g.writeStringField("room", room);
      g.writeArrayFieldStart("messages");
      for (StreamMessage m : messages) {
        streamMessage(g, m);
      }
      g.writeEndArray();
    });
  }

  public static byte[] pong(Object id) {
    return message("pong", id, g -> { });
  }

  public static byte[] error(Object id, ErrorCode error, String detail, String room) {
    return message("error", id, g -> {
      g.writeStringField("code", error.code());
      g.writeStringField("message", detail);
      if (room != null) {
        g.writeStringField("room", room);
      }
    });
  }

  /** A further part of a joined reply's snapshot; {@code more}: not the last. */
  static byte[] snapshotPart(String room, Map<String, Json> values, boolean more) {
    return message("snapshot-part", null, g -> {
      g.writeStringField("room", room);
      g.writeFieldName("snapshot");
      values(g, values);
      g.writeBooleanField("more", more);
    });
  }

  /** A further part of a joined reply's ops, as the ops event has them; {@code more} as above. */
  static byte[] opsPart(String room, List<Op> ops, boolean more) {
    return message("ops", null, g -> {
      g.writeStringField("room", room);
      g.writeFieldName("ops");
      ops(g, ops);
      g.writeBooleanField("more", more);
    });
  }

  private static byte[] event(RoomEvent e) {
    if (e instanceof RoomEvent.Relayed r) {
      return message("ops", null, g -> {
        g.writeStringField("room", r.room());
        g.writeFieldName("ops");
        ops(g, r.ops());
      });
    }
    if (e instanceof RoomEvent.Published p) {
      return message("message", null, g -> {
        g.writeStringField("room", p.room());
        g.writeFieldName("message");
        streamMessage(g, p.message());
      });
    }
    if (e instanceof RoomEvent.PresenceChanged p) {
      return message("presence", null, g -> {
        g.writeStringField("room", p.room());
        g.writeStringField("clientId", p.clientId());
        g.writeFieldName("data");
        raw(g, p.data());
      });
    }
    if (e instanceof RoomEvent.LeaderChanged l) {
      return message("leader", null, g -> {
        g.writeStringField("room", l.room());
        g.writeStringField("leader", l.leader());
        g.writeStringField("previous", l.previous());
      });
    }
    return message("sealed", null, g -> g.writeStringField("room", e.room()));
  }

  private static void position(JsonGenerator g, Position p) throws IOException {
    g.writeStringField("epoch", p.epoch());
    g.writeNumberField("seq", p.seq());
  }

  /**
   * Ops as events carry them, never ambiguous: {@code set} holds the values (a null there is the
   * JSON value null) and {@code delete} the deleted keys, present only when there are some; a
   * reset writes {@code reset} with the values it leaves. A request's {@code set} still deletes
   * with null, for the clients written against it.
   */
  private static void ops(JsonGenerator g, List<Op> ops) throws IOException {
    g.writeStartArray();
    for (Op op : ops) {
      g.writeStartObject();
      g.writeNumberField("seq", op.seq());
      g.writeStringField("writer", op.writer());
      WireJson.change(g, op.change());
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
