package dev.livestate.presence;

import dev.livestate.op.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is in a room and their small ephemeral data. A record not refreshed within the timeout
 * expires. Not thread-safe: driven from the room's lane.
 */
public final class Presence {
  private record Here(Json data, long lastSeen) {}

  private final Map<String, Here> here = new LinkedHashMap<>();
  private final long timeoutMillis;

  /** @param timeoutMillis how long a silent client stays; zero keeps it until it leaves */
  public Presence(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /** Sets or refreshes a client's record; returns true when its data changed (or it is new). */
  public boolean put(String clientId, Json data, long now) {
    Here previous = here.put(clientId, new Here(data, now));
    return previous == null || !previous.data().equals(data);
  }

  /** Refreshes a client's record without changing its data; a client without one stays so. */
  public void touch(String clientId, long now) {
    here.computeIfPresent(clientId, (id, h) -> new Here(h.data(), now));
  }

  public boolean remove(String clientId) {
    return here.remove(clientId) != null;
  }

  /** Removes and returns the clients silent for longer than the timeout. */
  public List<String> expire(long now) {
    if (timeoutMillis == 0) {
      return List.of();
    }
    List<String> gone = new ArrayList<>();
    here.entrySet().removeIf(e -> {
      boolean expired = now - e.getValue().lastSeen() > timeoutMillis;
      if (expired) {
        gone.add(e.getKey());
      }
      return expired;
    });
    return gone;
  }

  /** Every client's data, in arrival order. */
  public Map<String, Json> all() {
    Map<String, Json> copy = new LinkedHashMap<>();
    here.forEach((id, h) -> copy.put(id, h.data()));
    return Collections.unmodifiableMap(copy);
  }
}
