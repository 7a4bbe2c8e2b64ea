package dev.livestate.stream;

import dev.livestate.op.Json;

/**
 * One message of a room's stream. {@code time} (epoch millis) orders and selects messages;
 * {@code id} is the room's own counter, for ties and resume; {@code body} is opaque JSON.
 */
public record StreamMessage(long id, long time, long expiresAt, Json body) {
  public boolean expired(long now) {
    return expiresAt <= now;
  }
}
