package dev.livestate.server.adapter.uisync;

import java.util.function.IntUnaryOperator;

/**
 * How deeply a Socket.IO message nests, found by counting brackets outside strings, so that a
 * message too deep for socket.io-server's recursive decoder is refused before the decoder sees
 * it. The decoder's own failure is a stack overflow that the library swallows and answers by
 * closing the connection normally, at a depth that depends on the thread's stack; this makes the
 * limit one number and the refusal the documented one (WebSocket 1007, polling 400).
 */
final class Nesting {
  /**
   * The deepest message accepted: far below where the decoder overflows a default stack, and
   * never below what the server's JSON reader accepts inside a payload (plus the packet's own
   * array and the payload object around it).
   */
  static int limit(int maxJsonDepth) {
    return Math.max(1000, maxJsonDepth + 2);
  }

  private Nesting() {}

  static boolean deeperThan(CharSequence text, int max) {
    return deeperThan(text::charAt, text.length(), max);
  }

  /** The same over UTF-8 bytes: quotes, backslashes and brackets never occur inside a multi-byte character. */
  static boolean deeperThan(byte[] utf8, int max) {
    return deeperThan(i -> utf8[i], utf8.length, max);
  }

  private static boolean deeperThan(IntUnaryOperator at, int length, int max) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < length; i++) {
      int c = at.applyAsInt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        if (++depth > max) {
          return true;
        }
      } else if (c == ']' || c == '}') {
        depth--;
      }
    }
    return false;
  }
}
