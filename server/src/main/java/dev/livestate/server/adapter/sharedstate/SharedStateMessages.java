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
 * Encodes shared-state messages to UTF-8 JSON. Item values are written as the raw JSON text the
 * engine holds. No I/O.
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
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

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

  /** {@code {type: REPLY, cmd, tunnel, ok, data}}. */
  static byte[] reply(String cmd, String tunnel, boolean ok, Body data) {
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

  static byte[] error(String cmd, String tunnel, String reason) {
    return reply(cmd == null ? "" : cmd, tunnel, false, g -> g.writeString(reason));
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
