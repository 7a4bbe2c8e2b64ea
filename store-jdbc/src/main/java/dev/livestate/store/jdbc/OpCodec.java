package dev.livestate.store.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An op's change as stored: its kind ({@code put} or {@code reset}) and a body, the JSON object
 * of its keys, each with its value's exact text, or {@code null} for a delete.
 *
 * <p>Values are never re-encoded: they go in with {@link JsonGenerator#writeRawValue} and come
 * out as the very characters between their first and last token, so what a client sent is what
 * a recovered op relays, byte for byte. A value that is itself JSON {@code null} reads back as a
 * delete, which is what a null value means to a {@link Change}.
 */
final class OpCodec {
  static final String PUT = "put";
  static final String RESET = "reset";

  /**
   * Bodies were checked against the adapters' limits when they arrived; reading them back must
   * not fail on some lower limit, or a room could never be recovered. A body is written whole
   * by {@link #body}: the generator must not quietly close an object left open.
   */
  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(Integer.MAX_VALUE)
          .maxNumberLength(Integer.MAX_VALUE)
          .maxStringLength(Integer.MAX_VALUE)
          .maxNameLength(Integer.MAX_VALUE)
          .build())
      .build();

  private OpCodec() {}

  static String kind(Change change) {
    return change instanceof Change.Reset ? RESET : PUT;
  }

  static String body(Change change) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, Json> e : change.values().entrySet()) {
        g.writeFieldName(e.getKey());
        if (e.getValue() == null) {
          g.writeNull();
        } else {
          g.writeRawValue(e.getValue().text());
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static Change change(String kind, String body) {
    Map<String, Json> values = values(body);
    return switch (kind) {
      case PUT -> new Change.Put(values);
      case RESET -> new Change.Reset(values);
      default -> throw new IllegalStateException("unknown op kind '" + kind + "'");
    };
  }

  static Map<String, Json> values(String body) {
    Map<String, Json> values = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalStateException("op body is not a JSON object: " + body);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.VALUE_NULL) {
          values.put(key, null);
          continue;
        }
        long start = p.currentTokenLocation().getCharOffset();
        if (value.isStructStart()) {
          p.skipChildren();
        } else {
          // Strings are read lazily: until finished, the parser stands just past the quote.
          p.finishToken();
        }
        long end = p.currentLocation().getCharOffset();
        values.put(key, new Json(body.substring((int) start, (int) end)));
      }
    } catch (IOException e) {
      throw new IllegalStateException("op body is not valid JSON: " + body, e);
    }
    return values;
  }
}
