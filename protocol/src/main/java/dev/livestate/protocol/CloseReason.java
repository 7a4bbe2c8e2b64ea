package dev.livestate.protocol;

/**
 * Why the server closes a WebSocket, on every surface: one catalogue, each reason with its
 * close code and what a client should do next. A client that reconnects resumes from the last
 * position it saw and resends what was not acknowledged; it must not resend the message that
 * caused an {@link #INVALID_MESSAGE} or {@link #MESSAGE_TOO_BIG}.
 */
public enum CloseReason {
  /** The conversation is over (the client asked, or its protocol ended it). */
  NORMAL(1000, false),
  /** The server is shutting down; another server (or this one restarted) will take the client. */
  GOING_AWAY(1001, true),
  /** A frame that breaks the WebSocket protocol itself (a bad opcode, an unmasked frame). */
  PROTOCOL_ERROR(1002, true),
  /** A message that cannot be read: not valid UTF-8, or nested past what the decoder allows. */
  INVALID_MESSAGE(1007, true),
  /** The client read too slowly and its unsent backlog passed {@code limits.max-queued}. */
  TOO_SLOW(1008, true),
  /** A message over the size limit ({@code limits.max-message} or the surface's own). */
  MESSAGE_TOO_BIG(1009, true),
  /** The server failed: a room's store broke, or a bug. Reconnect with a backoff. */
  SERVER_ERROR(1011, true),
  /**
   * The connection's token expired and no {@code refresh} came before: connect again with a
   * fresh token.
   */
  TOKEN_EXPIRED(4001, true);

  private final short code;
  private final boolean reconnect;

  CloseReason(int code, boolean reconnect) {
    this.code = (short) code;
    this.reconnect = reconnect;
  }

  /** The WebSocket close code (RFC 6455 §7.4). */
  public short code() {
    return code;
  }

  /** Whether a client should connect again (after a backoff) rather than give up. */
  public boolean reconnect() {
    return reconnect;
  }

  /** The reason with this close code, or null when the server never sends it. */
  public static CloseReason of(int code) {
    for (CloseReason r : values()) {
      if (r.code == code) {
        return r;
      }
    }
    return null;
  }
}
