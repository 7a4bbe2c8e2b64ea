package dev.livestate.server.auth;

import dev.livestate.access.Action;
import dev.livestate.access.Home;
import dev.livestate.access.Permit;
import dev.livestate.access.Verdict;

/**
 * How one compatibility surface admits its clients, as {@code <surface>.access} says: open
 * (everyone gets the open permit, which trusts a client on the surface's own rooms, as the
 * original system did) or token (a client's token, verified by the server's {@link Gate}, must
 * grant each room it uses). Either way every request is checked the same way, so an open
 * surface still never reaches another surface's rooms. Immutable, thread-safe.
 */
public final class SurfaceAccess {
  private final Home home;
  private final Access access;
  private final Gate gate;

  /**
   * @throws IllegalArgumentException {@code access} is token but the gate has no key, so no
   *     token could ever be verified
   */
  public SurfaceAccess(Home home, Access access, Gate gate) {
    if (access == Access.TOKEN && !gate.tokens()) {
      throw new IllegalArgumentException(home.label() + " access=token needs a key to verify"
          + " tokens with: set auth.hmac-secret or auth.public-keys");
    }
    this.home = home;
    this.access = access;
    this.gate = gate;
  }

  /** The access of every surface of a server whose surfaces are all open: for tests. */
  public static SurfaceAccess open(Home home) {
    return new SurfaceAccess(home, Access.OPEN, Gate.open());
  }

  /** Whether clients must bring a token. */
  public boolean tokens() {
    return access == Access.TOKEN;
  }

  /**
   * The permit of a client that brought {@code token} (null or empty: none). An open surface
   * gives every client the open permit and ignores a token (UI sync's leaders may send their
   * leader secret where a token would go).
   */
  public Permit permit(String token) throws InvalidToken {
    if (access == Access.OPEN) {
      return Permit.open();
    }
    if (token == null || token.isEmpty()) {
      throw new InvalidToken("this " + home.label() + " server requires a token");
    }
    return gate.permit(token);
  }

  /**
   * Null when {@code permit} may do {@code action} with {@code room} at {@code nowMillis};
   * else why not, in words for the client.
   */
  public String refusal(Permit permit, String room, Action action, long nowMillis) {
    if (permit.expired(nowMillis)) {
      return "the token has expired: connect again with a fresh one";
    }
    return permit.check(home, room, action) instanceof Verdict.Refused r ? r.reason() : null;
  }
}
