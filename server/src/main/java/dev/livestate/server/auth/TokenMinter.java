package dev.livestate.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.livestate.access.Grant;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Signs HS256 tokens in the form {@link TokenVerifier} reads: for development ({@code livestate
 * token}) and tests. Production tokens come from the application's own auth service, signed with
 * the same secret or a private key whose public half the server holds.
 */
public final class TokenMinter {
  private final MACSigner signer;

  /** @throws IllegalArgumentException a secret shorter than 32 bytes */
  public TokenMinter(String hmacSecret) {
    try {
      this.signer = new MACSigner(hmacSecret.getBytes(StandardCharsets.UTF_8));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the HMAC secret must be at least 32 bytes long");
    }
  }

  /**
   * A token for {@code subject} holding {@code grants}, valid from {@code notBefore} until
   * {@code expires} (either may be null: no bound).
   */
  public String mint(String subject, List<Grant> grants, boolean admin, Instant notBefore,
      Instant expires) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject)
        .issueTime(new java.util.Date());
    if (notBefore != null) {
      claims.notBeforeTime(java.util.Date.from(notBefore));
    }
    if (expires != null) {
      claims.expirationTime(java.util.Date.from(expires));
    }
    if (admin) {
      claims.claim("admin", true);
    }
    List<Map<String, Object>> rooms = new ArrayList<>();
    for (Grant g : grants) {
      Map<String, Object> grant = new LinkedHashMap<>();
      grant.put("room", g.rooms());
      grant.put("role", g.role().name().toLowerCase(Locale.ROOT));
      grant.put("priority", g.priority());
      rooms.add(grant);
    }
    claims.claim("rooms", rooms);
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return jwt.serialize();
  }
}
