package dev.livestate.protocol;

/**
 * The native protocol's error catalogue, shared by its WebSocket and its HTTP API. Each code is
 * stable; clients branch on it. Errors of a request echo its id; the connection stays open unless
 * noted.
 */
public enum ErrorCode {
  /**
   * The frame is not valid JSON, nests deeper than the limit, or holds a string (a value, a key,
   * a name) with half of a UTF-16 surrogate pair, such as {@code "\ud800"}, which UTF-8 cannot
   * carry (I-JSON, RFC 7493, forbids it).
   */
  INVALID_JSON("invalid_json"),
  /** {@code type} names no request of the protocol. */
  UNKNOWN_TYPE("unknown_type"),
  /** A field is missing, of the wrong type, or out of range. */
  BAD_REQUEST("bad_request"),
  /**
   * The request needs a valid token (the server runs in token mode) and has none, or its token is
   * expired, not yet valid or not signed by the server's keys; or, in open mode, the client id is
   * held by another client and the request did not bring its resume secret.
   */
  UNAUTHORIZED("unauthorized"),
  /** No such room, and the join did not ask to create it. */
  UNKNOWN_ROOM("unknown_room"),
  /** The request names a room this connection has not joined. */
  NOT_JOINED("not_joined"),
  /** The connection already joined that room. */
  ALREADY_JOINED("already_joined"),
  /** The connection is in as many rooms as it may be. */
  TOO_MANY_ROOMS("too_many_rooms"),
  /**
   * The client's permit does not allow the request: a reader writing, a room its grants do not
   * cover, a role or priority above its grant, or a room of another surface.
   */
  FORBIDDEN("forbidden"),
  /**
   * Too much too fast: changes or joins past the connection's rate, or rooms created past the
   * client's or the server's limit. Nothing of the request was done; the connection stays.
   */
  RATE_LIMITED("rate_limited"),
  /**
   * The room's store failed a write, or its creation: nothing of the request was done. Retry
   * later: the room comes back from its store once the store takes writes again (GET /healthz
   * says {@code degraded} meanwhile). A room whose creation failed must be created again.
   */
  ROOM_FAILED("room_failed"),
  /** HTTP API only: no resource at that path (a room that does not exist is UNKNOWN_ROOM). */
  NOT_FOUND("not_found"),
  /** HTTP API only: the path exists but takes no request of that method. */
  METHOD_NOT_ALLOWED("method_not_allowed"),
  /** HTTP API only: the body is larger than {@code limits.max-message}. */
  TOO_LARGE("too_large"),
  /** HTTP API only: the body's declared content type is one the request cannot take. */
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
  /** A bug: the server could not handle a valid request. */
  INTERNAL("internal");

  private final String code;

  ErrorCode(String code) {
    this.code = code;
  }

  /** The code on the wire, e.g. {@code not_joined}. */
  public String code() {
    return code;
  }

  /** The code of an HTTP refusal with {@code status} that no request handler answered. */
  public static ErrorCode ofHttpStatus(int status) {
    return switch (status) {
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 413 -> TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 429 -> RATE_LIMITED;
      default -> status >= 500 ? INTERNAL : BAD_REQUEST;
    };
  }

  /** A request that failed with this code, and a message for people. */
  public ProtocolException with(String message) {
    return new ProtocolException(this, message);
  }
}
