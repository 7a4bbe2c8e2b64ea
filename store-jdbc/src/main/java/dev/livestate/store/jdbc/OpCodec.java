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
import java.util.List;
import java.util.Map;

/**
 * An op's change as stored: its kind and a body holding its keys, each with its value's exact
 * text.
 *
 * <p>Ops are written as {@code put2} or {@code reset2}, with the body
 * {@code {"set":{key: value, …}, "delete":[key, …]}} ({@code delete} only when the change deletes
 * a key): a value that is JSON {@code null} is the value null, kept apart from a delete. Keys
 * keep their order within {@code set} and within {@code delete}; how sets and deletes were
 * interleaved in the change is not kept, and means nothing (a delete gives no key a place).
 *
 * <p>Rows written before, {@code put} and {@code reset}, hold the body {@code {key: value, …}}
 * in which {@code null} was a delete: they are read as they always were.
 *
 * <p>Values are never re-encoded: they go in with {@link JsonGenerator#writeRawValue} and come
 * out as the very characters between their first and last token, so what a client sent is what
 * a recovered op relays, byte for byte.
 */
final class OpCodec {
  static final String PUT = "put2";
  static final String RESET = "reset2";
  /** A put of the first format, whose body's nulls are deletes. */
  static final String LEGACY_PUT = "put";
  /** A reset of the first format, whose body's nulls are deletes. */
  static final String LEGACY_RESET = "reset";

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
      g.writeObjectFieldStart("set");
      for (Map.Entry<String, Json> e : change.sets().entrySet()) {
        g.writeFieldName(e.getKey());
        g.writeRawValue(e.getValue().text());
      }
      g.writeEndObject();
      List<String> deleted = change.deletes();
      if (!deleted.isEmpty()) {
        g.writeArrayFieldStart("delete");
        for (String key : deleted) {
          g.writeString(key);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static Change change(String kind, String body) {
    return switch (kind) {
      case PUT -> new Change.Put(values(body));
      case RESET -> new Change.Reset(values(body));
      case LEGACY_PUT -> new Change.Put(legacyValues(body));
      case LEGACY_RESET -> new Change.Reset(legacyValues(body));
      default -> throw new IllegalStateException("unknown op kind '" + kind + "'");
    };
  }

  /** The values of a body as {@link #body} writes it: a delete is Java null. */
  static Map<String, Json> values(String body) {
    Map<String, Json> values = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(body)) {
      expect(p, JsonToken.START_OBJECT, body);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String part = p.currentName();
        if (part.equals("set")) {
          p.nextToken();
          readObject(p, body, values, false);
        } else if (part.equals("delete")) {
          expect(p, JsonToken.START_ARRAY, body);
          while (p.nextToken() == JsonToken.VALUE_STRING) {
            values.put(p.getText(), null);
          }
          if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IllegalStateException("op body deletes a key that is not a string: " + body);
          }
        } else {
          throw new IllegalStateException("op body has an unknown part '" + part + "': " + body);
        }
      }
    } catch (IOException e) {
      throw notValid(body, e);
    }
    return values;
  }

  /** The values of a first-format body, {@code {key: value}}, where null was a delete. */
  static Map<String, Json> legacyValues(String body) {
    Map<String, Json> values = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(body)) {
      p.nextToken();
      readObject(p, body, values, true);
    } catch (IOException e) {
      throw notValid(body, e);
    }
    return values;
  }

  /**
   * Reads the object the parser stands at the start of into {@code values}, each value as the
   * text it has in {@code body}; with {@code nullDeletes} a JSON null is read as a delete.
   */
  private static void readObject(JsonParser p, String body, Map<String, Json> values,
      boolean nullDeletes) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new IllegalStateException("op body is not a JSON object: " + body);
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken value = p.nextToken();
      if (nullDeletes && value == JsonToken.VALUE_NULL) {
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
  }

  private static void expect(JsonParser p, JsonToken token, String body) throws IOException {
    if (p.nextToken() != token) {
      throw new IllegalStateException("op body is not in the stored shape: " + body);
    }
  }

  private static IllegalStateException notValid(String body, IOException e) {
    return new IllegalStateException("op body is not valid JSON: " + body, e);
  }
}
