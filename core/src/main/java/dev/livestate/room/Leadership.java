package dev.livestate.room;

/** The answer to a leader claim. */
public sealed interface Leadership {
  /** The claimant now leads; {@code previous} lost the room to it (null if nobody led). */
  record Granted(String previous) implements Leadership {}

  /** Another client leads and the room refuses takeovers. */
  record Refused(String holder) implements Leadership {}
}
