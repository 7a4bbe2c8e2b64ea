package dev.livestate.server.auth;

import dev.livestate.access.Permit;

/**
 * The server's auth mode, as every door asks it: open (no key configured: development) or
 * tokens. Thread-safe.
 */
public final class Gate {
  private static final String BEARER = "Bearer ";
  private final TokenVerifier verifier;

  private Gate(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  /** @throws IllegalArgumentException a configured key that cannot be used */
  public static Gate from(AuthConfig config) {
    return new Gate(config.tokens() ? TokenVerifier.from(config) : null);
  }

  /** A gate with no key: everyone gets {@link Permit#open()}. */
  public static Gate open() {
    return new Gate(null);
  }

  /** Whether clients must bring a token. */
  public boolean tokens() {
    return verifier != null;
  }

  /**
   * The permit of a client that brought {@code token} (null or empty: none). Open mode refuses a
   * token rather than ignore it: a client configured for tokens is told the server checks none.
   */
  public Permit permit(String token) throws InvalidToken {
    boolean none = token == null || token.isEmpty();
    if (verifier == null) {
      if (!none) {
        throw new InvalidToken("this server runs open (no key configured) and verifies no"
            + " tokens: connect without one");
      }
      return Permit.open();
    }
    if (none) {
      throw new InvalidToken("this server requires a token");
    }
    return verifier.verify(token);
  }

  /**
   * The token of an HTTP request's {@code Authorization} header (null: no header, no token).
   *
   * @throws InvalidToken a header of another scheme than Bearer
   */
  public static String bearer(String authorization) throws InvalidToken {
    if (authorization == null) {
      return null;
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new InvalidToken("use 'Authorization: Bearer <token>'");
    }
    return authorization.substring(BEARER.length()).trim();
  }
}
