package dev.livestate.protocol;

/**
 * A request that failed with one of the catalogue's codes, thrown while decoding or handling it;
 * the adapter turns it into the protocol's error answer. Made by {@link ErrorCode#with}. It
 * carries no stack trace: it is an answer to a client, not a bug.
 */
public final class ProtocolException extends RuntimeException {
  private final ErrorCode error;

  ProtocolException(ErrorCode error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public ErrorCode error() {
    return error;
  }
}
