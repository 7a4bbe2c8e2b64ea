package dev.livestate.room;

/** What a client may do in a room. */
public enum Role {
  /** The room's one exclusive writer while it holds the room. */
  LEADER,
  /** May write, with a priority, unless a leader holds the room. */
  WRITER,
  /** Display only: never writes. */
  READER;

  public boolean canWrite() {
    return this != READER;
  }
}
