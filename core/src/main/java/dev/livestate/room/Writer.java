package dev.livestate.room;

import java.util.Objects;

/** Who is proposing changes: a client, in a role, with a conflict priority. */
public record Writer(String clientId, Role role, int priority) {
  public Writer {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(role, "role");
  }

  public static Writer of(String clientId) {
    return new Writer(clientId, Role.WRITER, 0);
  }
}
