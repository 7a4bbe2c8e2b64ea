package dev.livestate.server.adapter.meet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Meet ids and session tokens. A token is {@code <meetId>.<256 random bits, base64url>}: the
 * meet id lets a message carrying only the token find its meet; only the SHA-256 of the whole
 * token is stored.
 */
final class Tokens {
  private static final int TOKEN_BYTES = 32;

  private final SecureRandom random;

  Tokens(SecureRandom random) {
    this.random = random;
  }

  /** Nine random digits (leading zeros allowed). */
  String meetId() {
    return String.format("%09d", random.nextInt(1_000_000_000));
  }

  String session(String meetId) {
    byte[] b = new byte[TOKEN_BYTES];
    random.nextBytes(b);
    return meetId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The meet a token names, or null when it is not shaped like one of ours. */
  static String meetOf(String token) {
    if (token == null || token.length() < 11 || token.length() > 100 || token.charAt(9) != '.') {
      return null;
    }
    String id = token.substring(0, 9);
    return isMeetId(id) ? id : null;
  }

  static boolean isMeetId(String id) {
    if (id == null || id.length() != 9) {
      return false;
    }
    for (int i = 0; i < 9; i++) {
      if (id.charAt(i) < '0' || id.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** A meet id as typed by a person: spaces and dashes between the groups are ignored. */
  static String normalizeMeetId(String typed) {
    return typed == null ? null : typed.replaceAll("[\\s-]", "");
  }

  /** {@code 123456789} as a person reads it: {@code 123 456 789}. */
  static String display(String meetId) {
    return meetId.substring(0, 3) + " " + meetId.substring(3, 6) + " " + meetId.substring(6);
  }

  static String sha256(String token) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(d.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
