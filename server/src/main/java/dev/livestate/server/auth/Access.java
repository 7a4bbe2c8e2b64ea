package dev.livestate.server.auth;

/**
 * Who may use a compatibility surface (setting {@code <surface>.access}): anyone, as the
 * original system allowed, or only clients that bring a token.
 */
public enum Access {
  /** Anyone, with no credential: what the surface's real clients expect. */
  OPEN,
  /** Only clients whose token (from the server's {@link Gate}) grants the rooms they use. */
  TOKEN
}
