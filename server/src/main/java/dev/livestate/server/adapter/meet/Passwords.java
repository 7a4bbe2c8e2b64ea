package dev.livestate.server.adapter.meet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Meet passwords: salted scrypt hashes (BouncyCastle), checked in constant time. Hashing is
 * deliberately slow and memory-hard (each computation holds 128·r·N bytes): call it off the
 * event loop, through the {@link HashingPool} that bounds how many run at once. It counts the
 * checks it performed and the most computations it saw running at once.
 */
final class Passwords {
  static final int MIN_LENGTH = 10;
  static final int MAX_LENGTH = 1024;
  private static final int R = 8;
  private static final int P = 1;
  private static final int KEY_BYTES = 32;
  private static final int SALT_BYTES = 16;

  private final SecureRandom random;
  private final int log2n;
  private final ObjectNode decoy;
  private final AtomicLong checks = new AtomicLong();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostRunning = new AtomicInteger();

  Passwords(SecureRandom random, int log2n, ObjectMapper json) {
    if (log2n < 10 || log2n > 22) {
      throw new IllegalArgumentException("meet.scrypt-log2n must be within 10..22");
    }
    this.random = random;
    this.log2n = log2n;
    this.decoy = hash(json, "decoy password for unknown meets");
    mostRunning.set(0);
  }

  /** A new salted hash of {@code password} as a JSON object {alg, n, r, p, salt, hash}. */
  ObjectNode hash(ObjectMapper json, String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    int n = 1 << log2n;
    byte[] key = scrypt(bytes(password), salt, n, R, P, KEY_BYTES);
    Base64.Encoder b64 = Base64.getEncoder();
    return json.createObjectNode().put("alg", "scrypt").put("n", n).put("r", R).put("p", P)
        .put("salt", b64.encodeToString(salt)).put("hash", b64.encodeToString(key));
  }

  /** Spends the time of a real check, for a meet that does not exist (no timing oracle). */
  void decoyCheck(String password) {
    matches(decoy, password);
  }

  /** Whether {@code password} matches {@code stored}; the comparison takes constant time. */
  boolean matches(JsonNode stored, String password) {
    checks.incrementAndGet();
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] salt = b64.decode(stored.path("salt").asText());
    byte[] expected = b64.decode(stored.path("hash").asText());
    byte[] key = scrypt(bytes(password), salt, stored.path("n").asInt(),
        stored.path("r").asInt(), stored.path("p").asInt(), expected.length);
    return MessageDigest.isEqual(key, expected);
  }

  /** Password checks performed (against a meet's hash or the decoy) since this was made. */
  long checksPerformed() {
    return checks.get();
  }

  /** The most scrypt computations that ran at once (not counting the decoy's, made at start). */
  int mostRunningAtOnce() {
    return mostRunning.get();
  }

  private byte[] scrypt(byte[] password, byte[] salt, int n, int r, int p, int length) {
    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      return SCrypt.generate(password, salt, n, r, p, length);
    } finally {
      running.decrementAndGet();
    }
  }

  private static byte[] bytes(String password) {
    return password.getBytes(StandardCharsets.UTF_8);
  }
}
