package dev.livestate.server.guard;

/**
 * Counts rooms created, per client and against the server's cap, whatever door they come
 * through. Thread-safe.
 */
public final class RoomCreations {
  private final Quotas quotas;
  private final ClientRates perClient;

  public RoomCreations(Quotas quotas) {
    this.quotas = quotas;
    double perMinute = quotas.roomCreationsPerMinute();
    this.perClient = new ClientRates(perMinute / 60, perMinute);
  }

  /**
   * Counts one creation by {@code client} at {@code now} (nanoseconds) on a server that holds
   * {@code rooms} rooms. Returns null when it may go ahead, else why not (for the client).
   */
  public String take(String client, int rooms, long now) {
    if (quotas.maxRooms() > 0 && rooms >= quotas.maxRooms()) {
      return "the server holds its most rooms (" + quotas.maxRooms() + ")";
    }
    if (!perClient.take(client, now, 1)) {
      return "more than " + (long) quotas.roomCreationsPerMinute()
          + " rooms created in a minute: try again later";
    }
    return null;
  }

  /** Forgets clients whose allowance is whole again; call now and then. */
  public void prune(long now) {
    perClient.prune(now);
  }
}
