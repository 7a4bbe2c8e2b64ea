package dev.livestate.server.auth;

/** A token that proves nothing; the message says why in words safe to show the client. */
public final class InvalidToken extends Exception {
  public InvalidToken(String reason) {
    super(reason, null, false, false);
  }
}
