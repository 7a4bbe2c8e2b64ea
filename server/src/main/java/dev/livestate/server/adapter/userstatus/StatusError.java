package dev.livestate.server.adapter.userstatus;

/**
 * A request the userstatus protocol refuses, answered {@code {"error": message, "field": field}}
 * with HTTP status {@code status} (or the same object on the WebSocket).
 */
final class StatusError extends RuntimeException {
  private final String field;
  private final int status;

  StatusError(String field, String message) {
    this(400, field, message);
  }

  StatusError(int status, String field, String message) {
    super(message, null, false, false);
    this.field = field;
    this.status = status;
  }

  /** The offending field or query parameter, or null when the whole body is at fault. */
  String field() {
    return field;
  }

  int status() {
    return status;
  }
}
