package dev.livestate.access;

import dev.livestate.room.Role;
import java.util.Objects;

/**
 * Rooms a client may use, with the role and the conflict priority it uses them with.
 *
 * @param rooms a room name, or a prefix ending in {@code *} ({@code doc-*}; {@code *} alone is
 *     every room of the door's home)
 * @param role the most the client may do: {@code reader} reads, {@code writer} also writes,
 *     {@code leader} also leads
 * @param priority the priority its changes carry in a {@code priority} room; it may ask for less
 */
public record Grant(String rooms, Role role, int priority) {
  public Grant {
    Objects.requireNonNull(rooms, "rooms");
    Objects.requireNonNull(role, "role");
    if (rooms.isEmpty()) {
      throw new IllegalArgumentException("a grant names rooms");
    }
    if (rooms.indexOf('*') >= 0 && rooms.indexOf('*') != rooms.length() - 1) {
      throw new IllegalArgumentException("'*' may only end a grant's room pattern: " + rooms);
    }
  }

  public boolean covers(String room) {
    return rooms.endsWith("*")
        ? room.startsWith(rooms.substring(0, rooms.length() - 1))
        : rooms.equals(room);
  }

  /** How specific the grant is: an exact name beats every pattern, a longer prefix a shorter. */
  int specificity() {
    return rooms.endsWith("*") ? rooms.length() : Integer.MAX_VALUE;
  }

  /** Whether {@code asked} is within this grant's role (leader ⊃ writer ⊃ reader). */
  boolean allows(Role asked) {
    return rank(asked) <= rank(role);
  }

  private static int rank(Role r) {
    return switch (r) {
      case READER -> 0;
      case WRITER -> 1;
      case LEADER -> 2;
    };
  }
}
