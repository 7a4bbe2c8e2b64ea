package dev.livestate.engine;

import java.util.function.Function;

/**
 * One event on its way to every subscriber of a room. Each protocol encodes it once, through
 * {@link #encoded}, and every subscriber of that protocol shares the result. Used on the room's
 * lane only.
 */
public final class Broadcast {
  private final RoomEvent event;
  private Object[] encoders = new Object[2];
  private Object[] encodings = new Object[2];
  private int count;

  public Broadcast(RoomEvent event) {
    this.event = event;
  }

  public RoomEvent event() {
    return event;
  }

  /**
   * The event encoded by {@code encoder}, computed on first use and shared afterwards. Encoders
   * are told apart by identity: pass the same function instance each time (a constant).
   */
  @SuppressWarnings("unchecked")
  public <T> T encoded(Function<RoomEvent, T> encoder) {
    for (int i = 0; i < count; i++) {
      if (encoders[i] == encoder) {
        return (T) encodings[i];
      }
    }
    T value = encoder.apply(event);
    if (count == encoders.length) {
      encoders = java.util.Arrays.copyOf(encoders, count * 2);
      encodings = java.util.Arrays.copyOf(encodings, count * 2);
    }
    encoders[count] = encoder;
    encodings[count] = value;
    count++;
    return value;
  }
}
