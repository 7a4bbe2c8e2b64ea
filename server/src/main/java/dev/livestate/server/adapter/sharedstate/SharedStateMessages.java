package dev.livestate.server.adapter.sharedstate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.livestate.engine.RoomEvent;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Encodes what the shared-state server sends, as UTF-8 JSON: the replies to each request and the
 * NOTIFY messages. Item values are written as the raw JSON text the engine holds, never
 * re-encoded. The other half of {@link SharedStateCodec}. No I/O.
 */
final class SharedStateMessages {
  private static final JsonFactory FACTORY = new JsonFactory();

  /**
   * A relayed batch as NOTIFY messages (one per op) with the canonical path: one shared instance,
   * so a broadcast is encoded once for every subscriber who spelled the path that way.
   */
  static final Function<RoomEvent, List<byte[]>> NOTIFY = e -> notifications(e, null);

  private SharedStateMessages() {}

  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  // ---- notifications ----

  /** The NOTIFY messages of an event, addressed to {@code path} (null: the canonical one). */
  static List<byte[]> notifications(RoomEvent event, String path) {
    if (!(event instanceof RoomEvent.Relayed r)) {
      return List.of();
    }
    String p = path != null ? path : CollectionPath.ofRoom(r.room());
    List<byte[]> out = new ArrayList<>(r.ops().size());
    for (Op op : r.ops()) {
      out.add(notify(p, op.change(), null));
    }
    return out;
  }

  /** {@code {type: MESSAGE, cmd: NOTIFY, path, data: {remove, insert, reset}}}. */
  static byte[] notify(String path, Change change, String tunnel) {
    return encode(g -> {
      g.writeStringField("type", "MESSAGE");
      g.writeStringField("cmd", "NOTIFY");
      g.writeStringField("path", path);
      g.writeFieldName("data");
      g.writeStartObject();
      boolean reset = change instanceof Change.Reset;
      g.writeArrayFieldStart("remove");
      if (!reset) {
        for (Map.Entry<String, Json> e : change.values().entrySet()) {
          if (e.getValue() == null) {
            g.writeString(e.getKey());
          }
        }
      }
      g.writeEndArray();
      g.writeArrayFieldStart("insert");
      for (Json v : change.values().values()) {
        if (v != null) {
          g.writeRawValue(v.text());
        }
      }
      g.writeEndArray();
      g.writeBooleanField("reset", reset);
      g.writeEndObject();
      if (tunnel != null) {
        g.writeFieldName("tunnel");
        g.writeRawValue(tunnel);
      }
    });
  }

  /** A reset notification holding a collection's whole state. */
  static byte[] resetNotify(String path, Collection<Json> items, String tunnel) {
    Map<String, Json> values = new java.util.LinkedHashMap<>();
    int i = 0;
    for (Json item : items) {
      values.put(Integer.toString(i++), item);
    }
    return notify(path, new Change.Reset(values), tunnel);
  }

  // ---- replies ----

  /** {@code GET /}: the names of the services. */
  static byte[] services(String tunnel, List<String> names) {
    return reply("GET", tunnel, true, g -> {
      g.writeStartArray();
      for (String n : names) {
        g.writeString(n);
      }
      g.writeEndArray();
    });
  }

  /** {@code GET /clock}: the server's time in epoch seconds, with a fraction. */
  static byte[] clock(String tunnel, long millis) {
    double seconds = millis / 1000.0;
    return reply("GET", tunnel, true, g -> g.writeNumber(seconds));
  }

  /** {@code GET /app/service/collection}: every item of the collection. */
  static byte[] items(String tunnel, Collection<Json> items) {
    return reply("GET", tunnel, true, g -> {
      g.writeStartArray();
      for (Json item : items) {
        g.writeRawValue(item.text());
      }
      g.writeEndArray();
    });
  }

  /** {@code GET} or {@code PUT /subs}: the subscriptions as {@code [[path, options], …]}. */
  static byte[] subs(String cmd, String tunnel, Collection<SharedStateRequest.Sub> subs) {
    return reply(cmd, tunnel, true, g -> {
      g.writeStartArray();
      for (SharedStateRequest.Sub s : subs) {
        g.writeStartArray();
        g.writeString(s.spelling());
        g.writeRawValue(s.options());
        g.writeEndArray();
      }
      g.writeEndArray();
    });
  }

  /** {@code PUT /app/service/collection}: how many distinct ids the update touched. */
  static byte[] updated(String tunnel, int touched) {
    return reply("PUT", tunnel, true, g -> g.writeNumber(touched));
  }

  /** A refused request: {@code ok: false} with the reason as {@code data}. */
  static byte[] error(String cmd, String tunnel, String reason) {
    return reply(cmd == null ? "" : cmd, tunnel, false, g -> g.writeString(reason));
  }

  /** {@code {type: REPLY, cmd, tunnel, ok, data}}. */
  private static byte[] reply(String cmd, String tunnel, boolean ok, Body data) {
    return encode(g -> {
      g.writeStringField("type", "REPLY");
      g.writeStringField("cmd", cmd);
      g.writeFieldName("tunnel");
      if (tunnel == null) {
        g.writeNull();
      } else {
        g.writeRawValue(tunnel);
      }
      g.writeBooleanField("ok", ok);
      g.writeFieldName("data");
      data.write(g);
    });
  }

  private static byte[] encode(Body body) {
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
