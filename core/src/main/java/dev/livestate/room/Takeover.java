package dev.livestate.room;

/** What a leader claim does when another client already leads the room. */
public enum Takeover {
  /** The newcomer becomes leader; the previous leader is told it lost the room. */
  ALLOW,
  /** The claim is refused while the room has a leader. */
  REFUSE
}
