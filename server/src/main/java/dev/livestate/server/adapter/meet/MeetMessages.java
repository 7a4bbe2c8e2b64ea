package dev.livestate.server.adapter.meet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.livestate.engine.RoomEvent;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.Position;
import dev.livestate.state.Entry;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Encodes what the server sends OpenLifter clients, as UTF-8 JSON objects with a {@code msgType},
 * and the body of the update-log download. Values are written as the raw JSON text the engine
 * holds, never re-encoded. The other half of {@link MeetCodec}. No I/O.
 */
final class MeetMessages {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** UPDATE_RELAY for a room event, shared by every subscriber; null for other events. */
  static final Function<RoomEvent, byte[]> RELAY = event -> event instanceof RoomEvent.Relayed r
      ? message("UPDATE_RELAY", g -> {
        g.writeArrayFieldStart("updatesRelayed");
        ops(g, r.ops(), false);
        g.writeEndArray();
      })
      : null;

  private MeetMessages() {}

  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** One rejected update: the winner is null unless it lost a conflict. */
  record Rejected(long localSeq, String key, String reason, Entry winner) {

    /** The engine's rejection of the update of {@code key}, as the client reads it. */
    static Rejected of(Outcome.Rejected r, String key) {
      String reason = r.reason() == Rejection.SEALED ? "meet is published: read-only"
          : r.reason() == Rejection.CONFLICT
              ? "conflict: a location of higher or equal priority set this value first"
              : r.message();
      return new Rejected(r.localSeq(), key, reason, r.winners().get(key));
    }
  }

  // ---- admission ----

  static byte[] created(Meets.Issued issued, Position head) {
    return admitted("MEET_CREATED", issued, head);
  }

  static byte[] joined(Meets.Issued issued, Position head) {
    return admitted("MEET_JOINED", issued, head);
  }

  private static byte[] admitted(String type, Meets.Issued issued, Position head) {
    Meets.Session s = issued.session();
    return message(type, g -> {
      g.writeStringField("meetId", s.meetId());
      g.writeStringField("meetIdDisplay", Tokens.display(s.meetId()));
      g.writeStringField("sessionToken", issued.token());
      g.writeBooleanField("displayOnly", s.displayOnly());
      g.writeStringField("serverEpoch", head.epoch());
      g.writeNumberField("headServerSeq", head.seq());
      g.writeNumberField("expires", s.expires());
      if (s.location() != null) {
        g.writeStringField("locationName", s.location());
        if (!s.displayOnly()) {
          g.writeNumberField("priority", s.priority());
        }
      }
    });
  }

  static byte[] joinRejected(String reason) {
    return message("JOIN_REJECTED", g -> g.writeStringField("reason", reason));
  }

  /** INVALID_SESSION keeps the spec's field name; the message type goes in {@code msgType}. */
  static byte[] invalidSession(String token, String reason) {
    return message("INVALID_SESSION", g -> {
      g.writeStringField("sessionToken", token);
      g.writeStringField("reason", reason);
    });
  }

  // ---- updates ----

  static byte[] acks(List<Outcome.Accepted> acks, String epoch) {
    return message("UPDATE_ACK", g -> {
      g.writeArrayFieldStart("updateAcks");
      for (Outcome.Accepted a : acks) {
        g.writeStartObject();
        g.writeNumberField("localSeqNum", a.localSeq());
        g.writeNumberField("serverSeqNum", a.seq());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("serverEpoch", epoch);
    });
  }

  /**
   * UPDATE_REJECTED. A conflict carries the key, the value that stands and the seq that set it
   * ({@code winningValue}, {@code serverSeqNum}) so the client can converge without a pull.
   */
  static byte[] rejected(List<Rejected> rejected) {
    return message("UPDATE_REJECTED", g -> {
      g.writeArrayFieldStart("updatesRejected");
      for (Rejected r : rejected) {
        g.writeStartObject();
        g.writeNumberField("localSeqNum", r.localSeq());
        g.writeBooleanField("conflict", r.winner() != null);
        g.writeStringField("reason", r.reason());
        if (r.key() != null) {
          g.writeStringField("updateKey", r.key());
        }
        if (r.winner() != null) {
          g.writeFieldName("winningValue");
          value(g, r.winner().value());
          g.writeNumberField("serverSeqNum", r.winner().seq());
          g.writeStringField("winningLocationName", r.winner().writer());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }

  /**
   * The UPDATE_RELAY that follows an UPDATE_REJECTED with conflicts: the value standing at each
   * lost key and the seq that set it, as any relay, so a client that knows only the seed's
   * messages converges without a CLIENT_PULL (the seed: the server "pushes resolved conflicted
   * updates"). Null when no rejection lost a conflict.
   */
  static byte[] resolved(List<Rejected> rejected) {
    if (rejected.stream().noneMatch(r -> r.winner() != null)) {
      return null;
    }
    return message("UPDATE_RELAY", g -> {
      g.writeArrayFieldStart("updatesRelayed");
      for (Rejected r : rejected) {
        if (r.winner() != null) {
          g.writeStartObject();
          relayed(g, r.key(), r.winner().value(), r.winner().seq(), r.winner().writer());
          g.writeEndObject();
        }
      }
      g.writeEndArray();
    });
  }

  /** SERVER_PULL: the server lost state and asks for the client's log after {@code head}. */
  static byte[] serverPull(Position head) {
    return message("SERVER_PULL", g -> {
      g.writeNumberField("lastServerSeq", head.seq());
      g.writeStringField("serverEpoch", head.epoch());
    });
  }

  /** The UPDATE_RELAY answering CLIENT_PULL: the tail after the client's seq, or a snapshot. */
  static byte[] pulled(CatchUp c) {
    return message("UPDATE_RELAY", g -> {
      updates(g, "updatesRelayed", c, false);
      g.writeBooleanField("pulled", true);
      g.writeStringField("serverEpoch", c.head().epoch());
      g.writeNumberField("lastServerSeq", c.head().seq());
    });
  }

  // ---- publishing ----

  static byte[] publishAck(String meetId, boolean emailSent) {
    return message("PUBLISH_ACK", g -> {
      g.writeStringField("meetId", meetId);
      g.writeBooleanField("emailSent", emailSent);
    });
  }

  static byte[] publishRejected(String reason) {
    return message("PUBLISH_REJECTED", g -> g.writeStringField("reason", reason));
  }

  /** The {@code /log} download: every update of the meet, with its time, or a snapshot. */
  static byte[] log(String meetId, boolean published, CatchUp c) {
    return object(g -> {
      g.writeStringField("meetId", meetId);
      g.writeStringField("serverEpoch", c.head().epoch());
      g.writeNumberField("lastServerSeq", c.head().seq());
      g.writeBooleanField("published", published);
      updates(g, "updates", c, true);
    });
  }

  // ---- errors ----

  /** MALFORMED_MESSAGE, also the answer to a request the server failed to serve. */
  static byte[] malformed(String errMsg) {
    return message("MALFORMED_MESSAGE", g -> g.writeStringField("errMsg", errMsg));
  }

  /**
   * UNKNOWN_MESSAGE_TYPE. The seed puts the offending type in {@code msgType}, which would hide
   * the message's own type; it goes in {@code unknownMsgType} instead.
   */
  static byte[] unknownType(String type) {
    return message("UNKNOWN_MESSAGE_TYPE", g -> g.writeStringField("unknownMsgType", type));
  }

  // ---- parts ----

  /**
   * A catch-up as a list of updates named {@code field}: a tail's ops, or a snapshot's values
   * (each at the snapshot's seq) followed by {@code snapshot: true}.
   */
  private static void updates(JsonGenerator g, String field, CatchUp c, boolean withTime)
      throws IOException {
    g.writeArrayFieldStart(field);
    if (c instanceof CatchUp.Tail t) {
      ops(g, t.ops(), withTime);
    } else if (c instanceof CatchUp.Snapshot snap) {
      for (Map.Entry<String, Json> e : snap.values().entrySet()) {
        g.writeStartObject();
        g.writeStringField("updateKey", e.getKey());
        g.writeFieldName("updateValue");
        value(g, e.getValue());
        g.writeNumberField("serverSeqNum", snap.head().seq());
        g.writeEndObject();
      }
    }
    g.writeEndArray();
    if (c instanceof CatchUp.Snapshot) {
      g.writeBooleanField("snapshot", true);
    }
  }

  /** Each key an op set, as {updateKey, updateValue, serverSeqNum, locationName[, time]}. */
  private static void ops(JsonGenerator g, List<Op> ops, boolean withTime) throws IOException {
    for (Op op : ops) {
      for (Map.Entry<String, Json> e : op.change().values().entrySet()) {
        g.writeStartObject();
        relayed(g, e.getKey(), e.getValue(), op.seq(), op.writer());
        if (withTime) {
          g.writeNumberField("time", op.time());
        }
        g.writeEndObject();
      }
    }
  }

  /** The fields of one relayed update: the key, the value that seq set, and who set it. */
  private static void relayed(JsonGenerator g, String key, Json value, long seq, String location)
      throws IOException {
    g.writeStringField("updateKey", key);
    g.writeFieldName("updateValue");
    value(g, value);
    g.writeNumberField("serverSeqNum", seq);
    g.writeStringField("locationName", location);
  }

  private static void value(JsonGenerator g, Json value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else {
      g.writeRawValue(value.text());
    }
  }

  private static byte[] message(String type, Body body) {
    return object(g -> {
      g.writeStringField("msgType", type);
      body.write(g);
    });
  }

  private static byte[] object(Body body) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
