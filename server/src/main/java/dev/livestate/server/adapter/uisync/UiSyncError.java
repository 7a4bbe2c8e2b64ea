package dev.livestate.server.adapter.uisync;

/**
 * Why a UI sync request was refused. Sent as the {@code reason} of an {@code error} event
 * {@code {event, site, reason, message}}; the connection and every other client keep working.
 */
enum UiSyncError {
  /** The payload is not what the event needs (missing site, not JSON, wrong types). */
  INVALID_PAYLOAD("invalid_payload"),
  /** {@code ui_change} or {@code remove_leader} from a client that does not lead the site. */
  NOT_LEADER("not_leader"),
  /** {@code new_leader} while another leader holds the site and takeovers are refused. */
  LEADER_EXISTS("leader_exists"),
  /**
   * {@code new_leader} without the site's leader secret; or, on a closed surface
   * ({@code uisync.access=token}), a connection without a valid token (event {@code connect}).
   */
  UNAUTHORIZED("unauthorized"),
  /** On a closed surface, an event on a site the client's token does not grant for it. */
  FORBIDDEN("forbidden"),
  /** {@code ui_change}s faster than {@code limits.changes-per-second}; send it again later. */
  RATE_LIMITED("rate_limited"),
  /** The engine could not serve the request (e.g. its store failed). */
  UNAVAILABLE("unavailable");

  private final String code;

  UiSyncError(String code) {
    this.code = code;
  }

  String code() {
    return code;
  }
}
