package dev.livestate.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Names in URL paths (rooms, channels) as the client percent-encoded them. The router decodes a
 * malformed UTF-8 sequence to U+FFFD, so {@code %ED%A0%80} and {@code %ED%A0%81} (what a lone
 * surrogate becomes when it is encoded anyway) would name the same room; a path that is not
 * UTF-8 is refused instead, by the rule docs/decisions/008-lone-surrogates.md gives JSON strings.
 */
public final class PercentEncoding {
  private PercentEncoding() {}

  /** Whether the raw path (as sent, escapes undecoded) decodes to well-formed UTF-8. */
  public static boolean decodesToUtf8(String rawPath) {
    if (rawPath.indexOf('%') < 0) {
      return true;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(rawPath.length());
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      int high = i + 2 < rawPath.length() ? Character.digit(rawPath.charAt(i + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(rawPath.charAt(i + 2), 16) : -1;
      if (c == '%' && low >= 0) {
        bytes.write(high << 4 | low);
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
