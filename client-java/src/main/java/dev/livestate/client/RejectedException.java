package dev.livestate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The server refused a request: {@code code} is the protocol's (docs/protocol.md: {@code
 * conflict}, {@code forbidden}, {@code not_leader}, {@code sealed}, {@code forgotten}, or an error
 * code such as {@code unknown_room}); for a conflict, {@code winners} holds each key's standing
 * value.
 */
public final class RejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A key's value that won: what it is, the seq that set it and who wrote it. */
  public record Winner(JsonNode value, long seq, String writer) {}

  private final String code;
  private final transient Map<String, Winner> winners;

  public RejectedException(String code, String message, Map<String, Winner> winners) {
    super(code + ": " + message);
    this.code = code;
    this.winners = Map.copyOf(winners);
  }

  public String code() {
    return code;
  }

  public Map<String, Winner> winners() {
    return winners;
  }
}
