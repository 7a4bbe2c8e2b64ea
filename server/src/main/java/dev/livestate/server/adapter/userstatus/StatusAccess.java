package dev.livestate.server.adapter.userstatus;

import dev.livestate.access.Action;
import dev.livestate.access.Permit;
import dev.livestate.access.RateLimit;
import dev.livestate.server.auth.InvalidToken;
import dev.livestate.server.auth.SurfaceAccess;
import dev.livestate.server.guard.ClientRates;
import dev.livestate.server.http.Connection;
import java.time.Clock;

/**
 * Who may post and read a site's messages, as {@code userstatus.access} says, and how fast a
 * client may post ({@code limits.changes-per-second}: an HTTP client by its token's subject or
 * else its address, a WebSocket by its connection). Each refusal is a {@link StatusError}
 * carrying its HTTP status, answered in the surface's own {@code {"error"}} shape. Thread-safe.
 */
final class StatusAccess {
  private final SurfaceAccess access;
  private final ClientRates httpClients;
  private final double changesPerSecond;
  private final Clock clock;

  StatusAccess(SurfaceAccess access, ClientRates httpClients, double changesPerSecond,
      Clock clock) {
    this.access = access;
    this.httpClients = httpClients;
    this.changesPerSecond = changesPerSecond;
    this.clock = clock;
  }

  /** The permit of a client that brought {@code token} (null: none); else 401. */
  Permit permit(String token) {
    try {
      return access.permit(token);
    } catch (InvalidToken e) {
      throw new StatusError(401, null, e.getMessage());
    }
  }

  /** Refuses (403) unless {@code permit} may do {@code action} with {@code site}'s messages. */
  void check(Permit permit, String site, Action action) {
    String refusal =
        access.refusal(permit, StatusCodec.ROOM_PREFIX + site, action, clock.millis());
    if (refusal != null) {
      throw new StatusError(403, "site", refusal);
    }
  }

  /** Counts one post by an HTTP {@code client}; refuses (429) past its allowance. */
  void post(String client) {
    if (!httpClients.take(client, System.nanoTime(), 1)) {
      throw tooFast();
    }
  }

  /**
   * Counts one post on a WebSocket holding {@code allowance}; past it refuses (429) and stops
   * reading the socket until the allowance is back, as the native protocol does (on the
   * socket's event loop).
   */
  void post(RateLimit allowance, Connection socket) {
    long now = System.nanoTime();
    if (!allowance.take(now, 1)) {
      socket.pauseReading(allowance.nanosUntil(now, 1));
      throw tooFast();
    }
  }

  /** A WebSocket's own allowance of posts. */
  RateLimit allowance() {
    return new RateLimit(changesPerSecond, 2 * changesPerSecond);
  }

  /** Milliseconds until {@code permit}'s token expires, or -1 when it never does. */
  long millisLeft(Permit permit) {
    return permit.millisLeft(clock.millis());
  }

  private StatusError tooFast() {
    return new StatusError(429, null, "more than " + (long) changesPerSecond
        + " messages a second: slow down and post again");
  }
}
