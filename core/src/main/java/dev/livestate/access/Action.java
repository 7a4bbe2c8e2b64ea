package dev.livestate.access;

/** What a client asks to do with a room; each door maps its requests onto these. */
public enum Action {
  /** Join as a reader, read a snapshot or history, list it, show presence. */
  READ,
  /** Submit changes, publish to the stream. */
  WRITE,
  /** Claim the room's leadership. */
  LEAD,
  /** Create the room (whoever may write a room may create it). */
  CREATE,
  /** Delete the room and everything it holds (operators only). */
  DELETE
}
