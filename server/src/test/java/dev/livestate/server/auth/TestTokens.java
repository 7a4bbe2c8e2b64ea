package dev.livestate.server.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.livestate.access.Grant;
import dev.livestate.room.Role;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Tokens for tests: the servers they start hold {@link #SECRET}. */
public final class TestTokens {
  public static final String SECRET = "the tests' secret, at least 32 bytes long";
  private static final TokenMinter MINTER = new TokenMinter(SECRET);

  private TestTokens() {}

  /**
   * Settings that put a test server in token mode with {@link #SECRET}, no leeway, and then
   * {@code more} (key, value, ...).
   */
  public static Map<String, String> tokenMode(String... more) {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("auth.hmac-secret", SECRET);
    settings.put("auth.leeway", "0s");
    for (int i = 0; i < more.length; i += 2) {
      settings.put(more[i], more[i + 1]);
    }
    return settings;
  }

  /** The header (name, value) that carries {@code token} to the HTTP API. */
  public static String[] bearer(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }

  /** A token for {@code subject} valid for an hour, holding {@code grants}. */
  public static String token(String subject, Grant... grants) {
    return MINTER.mint(subject, List.of(grants), false, null, Instant.now().plusSeconds(3600));
  }

  public static String token(String subject, Instant notBefore, Instant expires, Grant... grants) {
    return MINTER.mint(subject, List.of(grants), false, notBefore, expires);
  }

  /** An operator's token. */
  public static String admin(String subject) {
    return MINTER.mint(subject, List.of(), true, null, Instant.now().plusSeconds(3600));
  }

  public static Grant grant(String rooms, Role role, int priority) {
    return new Grant(rooms, role, priority);
  }

  /** {@code claims} signed by {@code signer} with {@code alg}. */
  public static String signed(JWSAlgorithm alg, JWSSigner signer, JWTClaimsSet claims)
      throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  /** An unsigned token ({@code alg: none}) claiming to be an operator. */
  public static String unsigned(String subject) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = b64.encodeToString(("{\"sub\":\"" + subject + "\",\"admin\":true,\"exp\":"
        + (Instant.now().getEpochSecond() + 3600) + "}").getBytes(StandardCharsets.UTF_8));
    return header + "." + claims + ".";
  }
}
