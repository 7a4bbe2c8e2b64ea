package dev.livestate.access;

import dev.livestate.room.Role;
import java.util.List;
import java.util.Objects;

/**
 * What one client may do, as every door checks it: the rooms its grants cover, within its own
 * door's home only unless it is an operator ({@code admin}). Immutable.
 *
 * <p>A permit comes from a verified token, or is {@link #open()}: the development mode of a
 * server with no key, where anyone uses native rooms with the role and priority it asks for,
 * and never another surface's rooms.
 *
 * @param subject who the token names (its {@code sub}), or null for an open permit
 * @param admin an operator: every room through every door, deleting included
 * @param grants the rooms and roles granted; ignored when {@code trusting}
 * @param trusting trusts the client's own role and priority on its door's rooms (no key configured)
 * @param expiresAt epoch millis after which the permit is void ({@link Long#MAX_VALUE}: never)
 */
public record Permit(String subject, boolean admin, List<Grant> grants, boolean trusting,
    long expiresAt) {
  private static final Permit OPEN = new Permit(null, false, List.of(), true, Long.MAX_VALUE);

  public Permit {
    grants = List.copyOf(Objects.requireNonNull(grants, "grants"));
  }

  /** The permit of every client of a server with no key: development mode. */
  public static Permit open() {
    return OPEN;
  }

  /** A permit from a verified token. */
  public static Permit of(String subject, boolean admin, List<Grant> grants, long expiresAt) {
    Objects.requireNonNull(subject, "subject");
    return new Permit(subject, admin, grants, false, expiresAt);
  }

  public boolean expired(long now) {
    return now >= expiresAt;
  }

  /**
   * Milliseconds from {@code now} until the permit is void, at least 1 (when to close a
   * connection that holds it); -1 when it never is.
   */
  public long millisLeft(long now) {
    return expiresAt == Long.MAX_VALUE ? -1 : Math.max(1, expiresAt - now);
  }

  /** Whether a client of {@code door} may do {@code action} with {@code room}. */
  public Verdict check(Home door, String room, Action action) {
    return admit(door, room, action, null, null);
  }

  /**
   * The role and priority a client of {@code door} gets in {@code room} for {@code action}.
   * {@code askedRole} and {@code askedPriority} (null: not asked) may ask for less than the
   * grant, never for more.
   */
  public Verdict admit(Home door, String room, Action action, Role askedRole,
      Integer askedPriority) {
    Home home = Home.of(room);
    if (home == Home.SYSTEM) {
      return new Verdict.Refused("room " + room + " is the server's own");
    }
    if (admin) {
      return trusted(askedRole, askedPriority);
    }
    if (home != door) {
      return new Verdict.Refused("room " + room + " belongs to the " + home.label()
          + " surface: this door reaches it only with an operator's grant");
    }
    if (action == Action.DELETE) {
      return new Verdict.Refused("deleting a room needs an operator's grant");
    }
    if (trusting) {
      return trusted(askedRole, askedPriority);
    }
    Grant grant = grantFor(room);
    if (grant == null) {
      return new Verdict.Refused("no grant covers room " + room);
    }
    Role needed = switch (action) {
      case READ -> Role.READER;
      case WRITE, CREATE -> Role.WRITER;
      case LEAD -> Role.LEADER;
      case DELETE -> throw new AssertionError("handled above");
    };
    Role role = askedRole != null ? askedRole : defaultRole(grant.role(), needed);
    if (!grant.allows(needed) || !grant.allows(role)) {
      return new Verdict.Refused("the grant for room " + room + " is "
          + grant.role().name().toLowerCase(java.util.Locale.ROOT) + " only");
    }
    if (askedPriority != null && askedPriority > grant.priority()) {
      return new Verdict.Refused("priority " + askedPriority + " is above the granted "
          + grant.priority() + " for room " + room);
    }
    return new Verdict.Allowed(role, askedPriority != null ? askedPriority : grant.priority());
  }

  /**
   * The grant that decides {@code room}: the most specific one that covers it (of two as
   * specific, the first), or null.
   */
  public Grant grantFor(String room) {
    Grant best = null;
    for (Grant g : grants) {
      if (g.covers(room) && (best == null || g.specificity() > best.specificity())) {
        best = g;
      }
    }
    return best;
  }

  /** A leader grant joins as a writer unless it asks to lead: leading is a claim of its own. */
  private static Role defaultRole(Role granted, Role needed) {
    return granted == Role.LEADER && needed != Role.LEADER ? Role.WRITER : granted;
  }

  private static Verdict trusted(Role askedRole, Integer askedPriority) {
    return new Verdict.Allowed(askedRole != null ? askedRole : Role.WRITER,
        askedPriority != null ? askedPriority : 0);
  }
}
