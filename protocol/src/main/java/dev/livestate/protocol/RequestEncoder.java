package dev.livestate.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.livestate.op.Proposal;
import dev.livestate.room.Room;
import dev.livestate.room.RoomConfig;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Encodes requests as a client sends them, the other way round from {@link RequestCodec}: what
 * this writes, the codec reads back as the same request. Values are written as the JSON text they
 * hold. No I/O.
 */
public final class RequestEncoder {
  /** Each request's {@code type}, as {@link RequestCodec} reads it. */
  private static final Map<Class<?>, String> TYPES = Map.ofEntries(
      Map.entry(Request.Hello.class, "hello"), Map.entry(Request.Join.class, "join"),
      Map.entry(Request.Leave.class, "leave"), Map.entry(Request.Submit.class, "submit"),
      Map.entry(Request.Lead.class, "lead"), Map.entry(Request.Unlead.class, "unlead"),
      Map.entry(Request.SetPresence.class, "presence"), Map.entry(Request.Publish.class, "publish"),
      Map.entry(Request.History.class, "history"), Map.entry(Request.Ping.class, "ping"),
      Map.entry(Request.Refresh.class, "refresh"));

  private RequestEncoder() {}

  /** {@code request} as one JSON text frame. */
  public static String encode(Request request) {
    return WireJson.text(g -> {
      g.writeStartObject();
      g.writeStringField("type", TYPES.get(request.getClass()));
      if (request.id() instanceof Long l) {
        g.writeNumberField("id", l);
      } else if (request.id() != null) {
        g.writeStringField("id", request.id().toString());
      }
      fields(g, request);
      g.writeEndObject();
    });
  }

  private static void fields(JsonGenerator g, Request request) throws IOException {
    if (request instanceof Request.Hello h) {
      optional(g, "clientId", h.clientId());
      optional(g, "token", h.token());
      optional(g, "resume", h.resume());
    } else if (request instanceof Request.Join j) {
      join(g, j);
    } else if (request instanceof Request.Leave l) {
      g.writeStringField("room", l.room());
    } else if (request instanceof Request.Submit s) {
      submit(g, s);
    } else if (request instanceof Request.Lead l) {
      g.writeStringField("room", l.room());
    } else if (request instanceof Request.Unlead u) {
      g.writeStringField("room", u.room());
    } else if (request instanceof Request.SetPresence p) {
      g.writeStringField("room", p.room());
      g.writeFieldName("data");
      g.writeRawValue(p.data().text());
    } else if (request instanceof Request.Publish p) {
      g.writeStringField("room", p.room());
      g.writeFieldName("body");
      g.writeRawValue(p.body().text());
      if (p.time() != null) {
        g.writeNumberField("time", p.time());
      }
    } else if (request instanceof Request.History h) {
      g.writeStringField("room", h.room());
      g.writeNumberField("from", h.from());
      g.writeNumberField("to", h.to());
    } else if (request instanceof Request.Refresh r) {
      g.writeStringField("token", r.token());
    }
  }

  private static void join(JsonGenerator g, Request.Join j) throws IOException {
    g.writeStringField("room", j.room());
    if (j.role() != null) {
      g.writeStringField("role", j.role().name().toLowerCase(Locale.ROOT));
    }
    if (j.priority() != null) {
      g.writeNumberField("priority", j.priority());
    }
    if (j.since() != null) {
      g.writeObjectFieldStart("since");
      g.writeStringField("epoch", j.since().epoch());
      g.writeNumberField("seq", j.since().seq());
      g.writeEndObject();
    }
    if (j.create() != null) {
      g.writeFieldName("create");
      config(g, j.create());
    }
    optional(g, "token", j.token());
  }

  /**
   * A room config as its fields that differ from {@link RoomConfig#DEFAULT}, so a server with
   * other limits applies its own defaults to the rest. The store a room lives in and its stream's
   * length are the server's to choose and have no field.
   */
  static void config(JsonGenerator g, RoomConfig c) throws IOException {
    RoomConfig d = RoomConfig.DEFAULT;
    g.writeStartObject();
    if (c.policy() != d.policy()) {
      g.writeStringField("policy", c.policy().wireName());
    }
    if (c.durable() != d.durable()) {
      g.writeBooleanField("durable", c.durable());
    }
    if (c.retainOps() != d.retainOps()) {
      g.writeNumberField("retainOps", c.retainOps());
    }
    if (!c.retainAge().equals(d.retainAge())) {
      g.writeNumberField("retainSeconds", c.retainAge().toSeconds());
    }
    if (c.retainBytes() != d.retainBytes()) {
      g.writeNumberField("retainBytes", c.retainBytes());
    }
    if (c.writeAccess() != d.writeAccess()) {
      g.writeStringField("writeAccess", wireName(c.writeAccess()));
    }
    if (c.takeover() != d.takeover()) {
      g.writeStringField("takeover", wireName(c.takeover()));
    }
    if (!c.presenceTimeout().equals(d.presenceTimeout())) {
      g.writeNumberField("presenceTimeoutSeconds", c.presenceTimeout().toSeconds());
    }
    if (!c.streamTtl().equals(d.streamTtl())) {
      g.writeNumberField("streamTtlSeconds", c.streamTtl().toSeconds());
    }
    g.writeEndObject();
  }

  private static String wireName(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Each change as events carry it, which the codec reads the same: a put's values in {@code set}
   * and its deleted keys in {@code delete}, a reset in {@code reset}. (In a request a null in
   * {@code set} deletes its key, so a client cannot set the value null.)
   */
  private static void submit(JsonGenerator g, Request.Submit s) throws IOException {
    g.writeStringField("room", s.room());
    if (s.seenThrough() != Room.NOTHING_CONFIRMED) {
      g.writeNumberField("seenThrough", s.seenThrough());
    }
    g.writeArrayFieldStart("changes");
    for (Proposal p : s.changes()) {
      g.writeStartObject();
      g.writeNumberField("localSeq", p.localSeq());
      g.writeNumberField("baseSeq", p.baseSeq());
      WireJson.change(g, p.change());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void optional(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }
}
