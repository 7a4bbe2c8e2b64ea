package dev.livestate.op;

import java.util.Objects;

/**
 * A JSON value held as its compact text. The engine never parses it: adapters validate and
 * encode values, and the same text is stored, compared and relayed byte for byte.
 */
public record Json(String text) {
  public static final Json NULL = new Json("null");

  public Json {
    Objects.requireNonNull(text, "text");
  }

  public boolean isNull() {
    return "null".equals(text);
  }

  @Override
  public String toString() {
    return text;
  }
}
