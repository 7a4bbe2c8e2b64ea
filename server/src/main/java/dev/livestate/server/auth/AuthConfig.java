package dev.livestate.server.auth;

import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * How clients prove who they are, read once at start. With neither key set the server is open
 * (development mode); with either, native and HTTP API clients need a token.
 *
 * @param hmacSecret the shared secret of HS256/384/512 tokens (empty: none)
 * @param publicKeys a PEM or JWKS file of RSA/EC public keys for RS/PS/ES tokens (empty: none)
 * @param leeway how far the clocks of a token's issuer and this server may disagree
 * @param clientIdTtl how long an open-mode client id stays held by its resume secret unused
 */
public record AuthConfig(String hmacSecret, String publicKeys, Duration leeway,
    Duration clientIdTtl) {
  public static final Setting<String> HMAC_SECRET =
      Setting.string("auth.hmac-secret", "",
          "Secret that signs tokens with HMAC (HS256/384/512), at least 32 bytes; setting it (or"
              + " auth.public-keys) turns token mode on").asSecret();
  public static final Setting<String> PUBLIC_KEYS =
      Setting.string("auth.public-keys", "",
          "File of public keys that verify RS/PS/ES-signed tokens: PEM (one or more PUBLIC KEY"
              + " blocks) or a JWKS document");
  public static final Setting<Duration> LEEWAY =
      Setting.duration("auth.leeway", "5s",
          "How far a token's issuer's clock and this server's may disagree: a token is taken"
              + " this long before its nbf and after its exp");
  public static final Setting<Duration> CLIENT_ID_TTL =
      Setting.duration("auth.client-id-ttl", "30d",
          "Open mode: how long a client id stays held by its resume secret once unused");

  public static List<Setting<?>> settings() {
    return List.of(HMAC_SECRET, PUBLIC_KEYS, LEEWAY, CLIENT_ID_TTL);
  }

  public static AuthConfig from(Settings s) {
    return new AuthConfig(s.get(HMAC_SECRET), s.get(PUBLIC_KEYS), s.get(LEEWAY),
        s.get(CLIENT_ID_TTL));
  }

  /** Whether a key is configured: tokens are then required. */
  public boolean tokens() {
    return !hmacSecret.isEmpty() || !publicKeys.isEmpty();
  }
}
