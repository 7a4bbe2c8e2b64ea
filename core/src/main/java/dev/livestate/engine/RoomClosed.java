package dev.livestate.engine;

/** Why a room stopped serving its subscribers. */
public enum RoomClosed {
  /** The room was deleted; a client may create it again. */
  DELETED("deleted"),
  /** A write to the room's store failed; the room refuses everything until it is recovered. */
  STORE_FAILED("store_failed"),
  /** Another node serves the room now (cluster mode): the client reconnects and resumes. */
  MOVED("moved");

  private final String wireName;

  RoomClosed(String wireName) {
    this.wireName = wireName;
  }

  /** How protocols name it. */
  public String wireName() {
    return wireName;
  }
}
