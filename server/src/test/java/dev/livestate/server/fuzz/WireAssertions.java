package dev.livestate.server.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.livestate.op.Json;
import dev.livestate.protocol.LoneSurrogates;
import dev.livestate.server.config.ServerSettings;
import dev.livestate.server.config.Settings;
import dev.livestate.server.http.JsonMapper;
import dev.livestate.server.http.Limits;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the codec fuzz tests share: the server's own JSON setup, inputs read as the server reads
 * them, and the checks every encoded answer must pass: valid UTF-8 holding one JSON document,
 * whose values are the ones the codec decoded.
 */
public final class WireAssertions {
  /** Reads what a codec encoded, keeping every number's exact digits, so values compare exactly. */
  private static final ObjectMapper EXACT = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  private WireAssertions() {}

  /** The JSON setup a server with the default settings builds, read limits included. */
  public static ObjectMapper serverJson() {
    return JsonMapper.create(serverLimits());
  }

  public static Limits serverLimits() {
    return Limits.from(Settings.of(ServerSettings.all(), Map.of()));
  }

  /**
   * Input bytes as the server sees them as text: a WebSocket text frame or an HTTP body read as
   * UTF-8 (a malformed sequence becomes U+FFFD, as Vert.x's {@code asString()} makes it).
   */
  public static String text(byte[] input) {
    return new String(input, StandardCharsets.UTF_8);
  }

  /** One JSON document a codec encoded to bytes: it must be well-formed UTF-8 and JSON. */
  public static JsonNode parse(byte[] encoded) {
    return parse(utf8(encoded));
  }

  /** Bytes a codec encoded as text: they must be well-formed UTF-8. */
  public static String utf8(byte[] encoded) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(encoded)).toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("encoded bytes are not UTF-8: " + e, e);
    }
  }

  /** One JSON document a codec encoded to text. */
  public static JsonNode parse(String encoded) {
    try {
      return EXACT.readTree(encoded);
    } catch (JsonProcessingException e) {
      throw new AssertionError("encoded text is not one JSON document: " + e.getOriginalMessage()
          + "\n" + encoded, e);
    }
  }

  /** A value the engine would hold, read the same way, to compare with what came back. */
  public static JsonNode value(Json value) {
    return value == null ? null : parse(value.text());
  }

  /**
   * Issue 15's fault 1, as every codec must now answer it: a decoded input is not one JSON
   * document with a string (a value or a key) that holds half a surrogate pair, which no encoder
   * can write back as it came; such an input is refused (LoneSurrogates, in the protocol).
   */
  public static void assertNoLoneSurrogate(String text, Object decoded) {
    if (holdsLoneSurrogate(text) && isOneDocument(text)) {
      throw new AssertionError("decoded although a string holds half a surrogate pair: "
          + decoded);
    }
  }

  private static boolean isOneDocument(String text) {
    try {
      EXACT.readTree(text);
      return true;
    } catch (JsonProcessingException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether the text, its JSON escapes resolved, holds a UTF-16 surrogate without its other half:
   * read from the text itself, apart from the codecs' own check on the tree they decoded.
   */
  public static boolean holdsLoneSurrogate(String text) {
    StringBuilder units = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == 'u'
          && isHex(text, i + 2, 4)) {
        units.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
        i += 5;
      } else if (c == '\\' && i + 1 < text.length()) {
        units.append(text.charAt(++i));
      } else {
        units.append(c);
      }
    }
    return LoneSurrogates.in(units.toString());
  }

  private static boolean isHex(String s, int from, int count) {
    if (from + count > s.length()) {
      return false;
    }
    for (int i = from; i < from + count; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
