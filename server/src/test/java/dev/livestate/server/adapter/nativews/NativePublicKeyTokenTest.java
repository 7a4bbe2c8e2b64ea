package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.livestate.server.TestServer;
import dev.livestate.server.auth.TestTokens;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that verifies tokens with a public key takes RS256 tokens signed by its private half,
 * and refuses a token HMAC-signed with the public key itself as the secret (algorithm confusion).
 */
class NativePublicKeyTokenTest {
  @TempDir Path dir;

  @Test
  void onlyTheKeyPairsOwnSignaturesAreTakenNeverAnHmacWithThePublicKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair keys = g.generateKeyPair();
    Path pem = dir.resolve("public.pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("alice").claim("admin", true)
        .claim("rooms", List.of(Map.of("room", "*", "role", "leader"))).build();
    String genuine = TestTokens.signed(JWSAlgorithm.RS256, new RSASSASigner(keys.getPrivate()),
        claims);
    String forged = TestTokens.signed(JWSAlgorithm.HS256,
        new MACSigner(Files.readAllBytes(pem)), claims);
    try (TestServer server = TestServer.start(dir.resolve("data"),
            Map.of("auth.public-keys", pem.toString()));
        WebSocketClient ws = server.socket("/ws")) {
      ws.send(Map.of("type", "hello", "id", 1, "token", forged));
      JsonNode refused = ws.await(n -> n.path("id").asInt() == 1);
      assertEquals("unauthorized", refused.path("code").asText(), refused.toString());
      ws.send(Map.of("type", "hello", "id", 2, "token", genuine));
      JsonNode welcome = ws.await(n -> n.path("id").asInt() == 2);
      assertEquals("alice", welcome.path("clientId").asText(), welcome.toString());
    }
  }
}
