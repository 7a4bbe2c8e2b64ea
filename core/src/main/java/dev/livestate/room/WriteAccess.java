package dev.livestate.room;

/** Who may write to a room that has no leader. */
public enum WriteAccess {
  /** Any writer; a leader, while there is one, writes alone. */
  WRITERS,
  /** Only the room's leader: with no leader, nobody writes. */
  LEADER_ONLY
}
