package dev.livestate.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.livestate.access.Grant;
import dev.livestate.access.Permit;
import dev.livestate.room.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies signed tokens (JWT, through Nimbus JOSE+JWT) and turns their claims into a
 * {@link Permit}. Thread-safe.
 *
 * <p>Claims: {@code sub} (required: the client id), {@code exp} and {@code nbf} (checked with a
 * few seconds of leeway), {@code admin} (an operator), and {@code rooms}: a list of
 * {@code {"room": "doc-*", "role": "writer", "priority": 5}} (role defaults to reader, priority
 * to 0). A permit lasts until the token's {@code exp} plus the leeway, as long as the token would
 * still be accepted. HMAC keys verify only HS algorithms and public keys only RS, PS and ES ones, so a
 * token signed with the public key as an HMAC secret proves nothing; unsecured ({@code alg:
 * none}) and encrypted tokens are refused.
 */
public final class TokenVerifier {
  private static final Set<JWSAlgorithm> HMAC =
      Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
  private static final Set<JWSAlgorithm> PUBLIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final long leewayMillis;

  private TokenVerifier(List<JWK> keys, Set<JWSAlgorithm> algorithms, java.time.Duration leeway) {
    this.leewayMillis = leeway.toMillis();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(new JWKSet(keys))));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(null, Set.of("sub"));
    claims.setMaxClockSkew((int) leeway.toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
  }

  /**
   * The verifier for the keys {@code config} names.
   *
   * @throws IllegalArgumentException a key that cannot be used, said so the server can refuse
   *     to start
   */
  public static TokenVerifier from(AuthConfig config) {
    List<JWK> keys = new ArrayList<>();
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    if (!config.hmacSecret().isEmpty()) {
      byte[] secret = config.hmacSecret().getBytes(StandardCharsets.UTF_8);
      if (secret.length < 32) {
        throw new IllegalArgumentException(
            "auth.hmac-secret must be at least 32 bytes (256 bits) long");
      }
      keys.add(new OctetSequenceKey.Builder(secret).build());
      algorithms.addAll(HMAC);
    }
    if (!config.publicKeys().isEmpty()) {
      keys.addAll(publicKeys(Path.of(config.publicKeys())));
      algorithms.addAll(PUBLIC);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no key configured");
    }
    return new TokenVerifier(keys, algorithms, config.leeway());
  }

  /** The permit a token grants. */
  public Permit verify(String token) throws InvalidToken {
    if (token == null || token.isEmpty()) {
      throw new InvalidToken("a token is required");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw new InvalidToken("not a token: " + e.getMessage());
    } catch (BadJWTException e) {
      throw new InvalidToken(claimProblem(e.getMessage()));
    } catch (BadJOSEException e) {
      throw new InvalidToken(signatureProblem(e.getMessage()));
    } catch (JOSEException e) {
      throw new InvalidToken("the token could not be verified");
    }
    return permit(claims, leewayMillis);
  }

  private static String claimProblem(String message) {
    String m = String.valueOf(message).toLowerCase(Locale.ROOT);
    if (m.contains("expired")) {
      return "the token has expired";
    }
    if (m.contains("before use time")) {
      return "the token is not valid yet (nbf)";
    }
    return "the token's claims are not acceptable: " + message;
  }

  private static String signatureProblem(String message) {
    String m = String.valueOf(message).toLowerCase(Locale.ROOT);
    if (m.contains("unsecured") || m.contains("plain")) {
      return "unsigned tokens (alg none) are refused";
    }
    if (m.contains("encrypted")) {
      return "encrypted tokens are not accepted";
    }
    return "the token's signature does not verify with this server's keys";
  }

  /** The permit lasts as long as the token is accepted: its exp and the leeway. */
  private static Permit permit(JWTClaimsSet claims, long leewayMillis) throws InvalidToken {
    try {
      Boolean admin = claims.getBooleanClaim("admin");
      Date exp = claims.getExpirationTime();
      return Permit.of(claims.getSubject(), Boolean.TRUE.equals(admin), grants(claims),
          exp == null ? Long.MAX_VALUE : exp.getTime() + leewayMillis);
    } catch (ParseException | ClassCastException | IllegalArgumentException e) {
      throw new InvalidToken("the token's claims are not acceptable: " + e.getMessage());
    }
  }

  private static List<Grant> grants(JWTClaimsSet claims) throws InvalidToken {
    Object rooms = claims.getClaim("rooms");
    if (rooms == null) {
      return List.of();
    }
    if (!(rooms instanceof List<?> list)) {
      throw new InvalidToken("claim 'rooms' must be a list of {room, role, priority}");
    }
    List<Grant> grants = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> m) || !(m.get("room") instanceof String room)) {
        throw new InvalidToken("each grant in 'rooms' must be an object with a string 'room'");
      }
      grants.add(new Grant(room, role(m.get("role")), priority(m.get("priority"))));
    }
    return grants;
  }

  private static Role role(Object value) throws InvalidToken {
    if (value == null) {
      return Role.READER;
    }
    if (value instanceof String s) {
      for (Role r : Role.values()) {
        if (r.name().equalsIgnoreCase(s)) {
          return r;
        }
      }
    }
    throw new InvalidToken("a grant's 'role' must be reader, writer or leader");
  }

  private static int priority(Object value) throws InvalidToken {
    if (value == null) {
      return 0;
    }
    if (value instanceof Number n && n.doubleValue() == n.intValue()) {
      return n.intValue();
    }
    throw new InvalidToken("a grant's 'priority' must be an integer");
  }

  /** The keys of a PEM file (PUBLIC KEY blocks, RSA or EC) or a JWKS document. */
  static List<JWK> publicKeys(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("auth.public-keys: cannot read " + file + ": " + e);
    }
    try {
      if (text.stripLeading().startsWith("{")) {
        List<JWK> keys = new ArrayList<>();
        for (JWK k : JWKSet.parse(text).getKeys()) {
          if (k.isPrivate()) {
            throw new IllegalArgumentException(
                "auth.public-keys holds a private key: give the public half only");
          }
          keys.add(k);
        }
        return keys;
      }
      List<JWK> keys = new ArrayList<>();
      Matcher m = PEM.matcher(text);
      while (m.find()) {
        keys.add(jwk(Base64.getMimeDecoder().decode(m.group(1))));
      }
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("no PUBLIC KEY block and not a JWKS document");
      }
      return keys;
    } catch (ParseException | java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("auth.public-keys: " + file + ": " + e.getMessage());
    }
  }

  private static JWK jwk(byte[] der) throws java.security.GeneralSecurityException {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    PublicKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (java.security.spec.InvalidKeySpecException notRsa) {
      key = KeyFactory.getInstance("EC").generatePublic(spec);
    }
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).build();
    }
    ECPublicKey ec = (ECPublicKey) key;
    return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
  }
}
