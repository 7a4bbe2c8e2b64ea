package dev.livestate.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The rule every codec applies to what it reads, before any request is decided: a string that
 * holds half a UTF-16 surrogate pair (JSON lets {@code "\ud800"} through its escapes; I-JSON,
 * RFC 7493, forbids it) is refused, whether a value, a key, a name or an id. UTF-8, which the
 * server writes and stores, has no encoding for such a half: kept, it would be acked and then
 * break every frame that carries it, or turn into {@code ?} in the store (docs/decisions/008).
 */
public final class LoneSurrogates {
  private LoneSurrogates() {}

  /** Whether {@code text} holds a surrogate without its other half. */
  public static boolean in(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why {@code node} is refused: the first string in it (object keys included, depth first) that
   * holds a lone surrogate, named by its JSON pointer; empty when every string is well formed.
   */
  public static Optional<String> refusal(JsonNode node) {
    StringBuilder where = new StringBuilder();
    return node != null && find(node, where)
        ? Optional.of("a string (at " + (where.length() == 0 ? "/" : where)
            + ") holds half of a UTF-16 surrogate pair, which UTF-8 cannot carry")
        : Optional.empty();
  }


  private static boolean find(JsonNode node, StringBuilder where) {
    if (node.isTextual()) {
      return in(node.textValue());
    }
    int length = where.length();
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        where.append('/');
        pointerSegment(field.getKey(), where);
        if (in(field.getKey()) || find(field.getValue(), where)) {
          return true;
        }
        where.setLength(length);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        where.append('/').append(i);
        if (find(node.get(i), where)) {
          return true;
        }
        where.setLength(length);
      }
    }
    return false;
  }

  /**
   * A key as a JSON pointer segment (RFC 6901), with each lone half written as {@code \}{@code
   * uXXXX} so that the message naming it is itself text every encoder can write.
   */
  private static void pointerSegment(String key, StringBuilder out) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '~') {
        out.append("~0");
      } else if (c == '/') {
        out.append("~1");
      } else if (Character.isHighSurrogate(c) && i + 1 < key.length()
          && Character.isLowSurrogate(key.charAt(i + 1))) {
        out.append(c).append(key.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
  }
}
