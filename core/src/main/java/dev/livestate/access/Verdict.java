package dev.livestate.access;

import dev.livestate.room.Role;

/** A permit's answer to a request: allowed with a role and priority, or refused and why. */
public sealed interface Verdict {

  /** Allowed: the client acts in {@code role} with {@code priority}, as the permit says. */
  record Allowed(Role role, int priority) implements Verdict {}

  /** Refused; {@code reason} is for the client (it names no secret). */
  record Refused(String reason) implements Verdict {}
}
