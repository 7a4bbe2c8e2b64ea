package dev.livestate.server.adapter.uisync;

import dev.livestate.access.Action;
import dev.livestate.access.Permit;
import dev.livestate.access.RateLimit;
import dev.livestate.server.auth.InvalidToken;
import dev.livestate.server.auth.SurfaceAccess;
import java.time.Clock;

/**
 * Who may do what on UI sync ({@code uisync.access}) and how fast a leader may change its
 * site ({@code limits.changes-per-second}): each event is checked against its session's permit
 * on the site's room — {@code join_room} reads, {@code new_leader} and {@code remove_leader}
 * lead, {@code ui_change} writes — and {@code ui_change} against the session's allowance too.
 * These checks come before the original's own rules (a {@code ui_change} must still come from
 * the site's leader). Thread-safe.
 */
final class UiSyncGuard {
  private final SurfaceAccess access;
  private final UiSyncCodec codec;
  private final Clock clock;
  private final double changesPerSecond;

  UiSyncGuard(SurfaceAccess access, UiSyncCodec codec, Clock clock, double changesPerSecond) {
    this.access = access;
    this.codec = codec;
    this.clock = clock;
    this.changesPerSecond = changesPerSecond;
  }

  /** The permit of a client that connected with {@code token} (null: none). */
  Permit permit(String token) throws InvalidToken {
    return access.permit(token);
  }

  /** Whether every client may see every site, so one leaders list serves them all. */
  boolean open() {
    return !access.tokens();
  }

  /** A new session's allowance of changes. */
  RateLimit allowance() {
    return new RateLimit(changesPerSecond, 2 * changesPerSecond);
  }

  /** Whether {@code s} may follow {@code site}, and so learn who leads it. */
  boolean sees(UiSyncSession s, String site) {
    return refusal(s, site, Action.READ) == null;
  }

  /** The error event refusing {@code request} from {@code s}, or null when it may go ahead. */
  Outbound refusal(UiSyncSession s, UiSyncRequest request) {
    if (!(request instanceof UiSyncRequest.OnSite r)) {
      return null; // leave_room, my_ping and what is invalid touch no site's state
    }
    String refused = refusal(s, r.site(), r.action());
    if (refused != null) {
      return codec.error(r.event(), r.site(), UiSyncError.FORBIDDEN, refused);
    }
    if (r.action() == Action.WRITE && !s.changes().take(System.nanoTime(), 1)) {
      return codec.error(r.event(), r.site(), UiSyncError.RATE_LIMITED, "more than "
          + (long) changesPerSecond + " changes a second: slow down and send it again");
    }
    return null;
  }

  private String refusal(UiSyncSession s, String site, Action action) {
    return access.refusal(s.permit(), UiSyncSite.PREFIX + site, action, clock.millis());
  }
}
