package dev.livestate.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.livestate.access.Grant;
import dev.livestate.access.Permit;
import dev.livestate.room.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens signed with public-key algorithms, and the keys a server refuses to start with. */
class TokenVerifierTest {
  @TempDir Path dir;

  private static final JWTClaimsSet CLAIMS = new JWTClaimsSet.Builder().subject("alice")
      .expirationTime(Date.from(Instant.now().plusSeconds(600)))
      .claim("rooms", List.of(Map.of("room", "doc-*", "role", "writer", "priority", 3)))
      .build();

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private Path pem(byte[] publicDer) throws Exception {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(publicDer);
    Path file = dir.resolve("keys.pem");
    Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
    return file;
  }

  private static TokenVerifier verifier(String secret, Path keys) {
    return TokenVerifier.from(new AuthConfig(secret, keys == null ? "" : keys.toString(),
        Duration.ZERO, Duration.ofDays(30)));
  }

  @Test
  void anRs256TokenVerifiesWithThePemPublicKeyAndItsGrantsBecomeThePermit() throws Exception {
    KeyPair keys = rsa();
    TokenVerifier v = verifier("", pem(keys.getPublic().getEncoded()));
    Permit p = v.verify(TestTokens.signed(JWSAlgorithm.RS256, new RSASSASigner(keys.getPrivate()),
        CLAIMS));
    assertEquals("alice", p.subject());
    assertEquals(List.of(new Grant("doc-*", Role.WRITER, 3)), p.grants());
  }

  @Test
  void anHmacTokenSignedWithThePublicKeyAsItsSecretProvesNothing() throws Exception {
    KeyPair keys = rsa();
    Path file = pem(keys.getPublic().getEncoded());
    TokenVerifier v = verifier("", file);
    for (byte[] secret : List.of(keys.getPublic().getEncoded(), Files.readAllBytes(file))) {
      String forged = TestTokens.signed(JWSAlgorithm.HS256, new MACSigner(secret), CLAIMS);
      InvalidToken refused = assertThrows(InvalidToken.class, () -> v.verify(forged));
      assertTrue(refused.getMessage().contains("signature"), refused.getMessage());
    }
  }

  @Test
  void anHmacServerRefusesPublicKeyAlgorithmsAndUnsignedTokens() throws Exception {
    TokenVerifier v = verifier(TestTokens.SECRET, null);
    String rs = TestTokens.signed(JWSAlgorithm.RS256, new RSASSASigner(rsa().getPrivate()), CLAIMS);
    assertThrows(InvalidToken.class, () -> v.verify(rs));
    InvalidToken none = assertThrows(InvalidToken.class,
        () -> v.verify(TestTokens.unsigned("alice")));
    assertTrue(none.getMessage().contains("alg none"), none.getMessage());
  }

  @Test
  void anEs256TokenVerifiesWithAJwksDocument() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    Path file = dir.resolve("keys.json");
    Files.writeString(file, new JWKSet(key.toPublicJWK()).toString());
    TokenVerifier v = verifier("", file);
    assertEquals("alice", v.verify(TestTokens.signed(JWSAlgorithm.ES256, new ECDSASigner(key),
        CLAIMS)).subject());
  }

  @Test
  void aServerRefusesToStartWithAKeyItCannotUse() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> verifier("too short", null),
        "an HMAC secret under 32 bytes");
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    Path privateJwks = dir.resolve("private.json");
    Files.writeString(privateJwks, new JWKSet(key).toString(false));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> verifier("", privateJwks));
    assertTrue(e.getMessage().contains("private key"), e.getMessage());
    Path empty = dir.resolve("empty.pem");
    Files.writeString(empty, "no key here");
    assertThrows(IllegalArgumentException.class, () -> verifier("", empty));
    assertThrows(IllegalArgumentException.class, () -> verifier("", dir.resolve("missing.pem")));
  }

  @Test
  void grantsWithAWrongShapeAreRefusedNotGuessed() throws Exception {
    TokenVerifier v = verifier(TestTokens.SECRET, null);
    MACSigner signer = new MACSigner(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8));
    for (Object rooms : List.of("doc-*", List.of("doc-*"), List.of(Map.of("room", 7)),
        List.of(Map.of("room", "a", "role", "owner")),
        List.of(Map.of("room", "a", "priority", 1.5)), List.of(Map.of("room", "a*b")))) {
      String token = TestTokens.signed(JWSAlgorithm.HS256, signer,
          new JWTClaimsSet.Builder().subject("x").claim("rooms", rooms).build());
      assertThrows(InvalidToken.class, () -> v.verify(token), String.valueOf(rooms));
    }
    String noSubject = TestTokens.signed(JWSAlgorithm.HS256, signer,
        new JWTClaimsSet.Builder().claim("admin", true).build());
    assertThrows(InvalidToken.class, () -> v.verify(noSubject), "sub is required");
    String bare = TestTokens.signed(JWSAlgorithm.HS256, signer,
        new JWTClaimsSet.Builder().subject("x").build());
    Permit p = v.verify(bare);
    assertEquals(List.of(), p.grants());
    assertEquals(Long.MAX_VALUE, p.expiresAt(), "no exp: the token does not expire");
  }
}
