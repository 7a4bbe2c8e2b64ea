package dev.livestate.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.stream.StreamMessage;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * How the protocol writes JSON, on the WebSocket and over HTTP alike: one document at a time with
 * a streaming generator, and stored values embedded as the JSON text the engine holds, never
 * parsed to be written again.
 */
final class WireJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private WireJson() {}

  /** A document's content, written to the generator. */
  @FunctionalInterface
  interface Content {
    void write(JsonGenerator g) throws IOException;
  }

  /**
   * A document straight to UTF-8 bytes, for the WebSocket. Jackson's byte generator writes a
   * character beyond the BMP as two escaped surrogates; JSON readers take either form.
   */
  static byte[] utf8(Content content) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    write(() -> FACTORY.createGenerator(out), content);
    return out.toByteArray();
  }

  /**
   * A document as text, for the HTTP API: a character beyond the BMP is written as it is, as the
   * API has always answered.
   */
  static String text(Content content) {
    StringWriter out = new StringWriter(256);
    write(() -> FACTORY.createGenerator(out), content);
    return out.toString();
  }

  @FunctionalInterface
  private interface Output {
    JsonGenerator open() throws IOException;
  }

  private static void write(Output output, Content content) {
    try (JsonGenerator g = output.open()) {
      content.write(g);
    } catch (IOException e) {
      // the output is in memory: only a malformed document (a bug) gets here
      throw new UncheckedIOException(e);
    }
  }

  /** An object of key → value; a null value is written as JSON null. */
  static void values(JsonGenerator g, Map<String, Json> values) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, Json> e : values.entrySet()) {
      g.writeFieldName(e.getKey());
      raw(g, e.getValue());
    }
    g.writeEndObject();
  }

  /** {@code {"id","time","body"}}: a stream message in history, in an event and over HTTP. */
  static void streamMessage(JsonGenerator g, StreamMessage m) throws IOException {
    g.writeStartObject();
    g.writeNumberField("id", m.id());
    g.writeNumberField("time", m.time());
    g.writeFieldName("body");
    raw(g, m.body());
    g.writeEndObject();
  }

  /**
   * A change's fields: a reset's {@code reset} with the values it leaves, or else {@code set}
   * with the values it sets (a null there is the JSON value null) and {@code delete} with the
   * keys it deletes, present only when there are some.
   */
  static void change(JsonGenerator g, Change change) throws IOException {
    g.writeFieldName(change instanceof Change.Reset ? "reset" : "set");
    values(g, change.sets());
    List<String> deleted = change instanceof Change.Reset ? List.of() : change.deletes();
    if (!deleted.isEmpty()) {
      g.writeArrayFieldStart("delete");
      for (String key : deleted) {
        g.writeString(key);
      }
      g.writeEndArray();
    }
  }

  static void raw(JsonGenerator g, Json value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else {
      g.writeRawValue(value.text());
    }
  }
}
