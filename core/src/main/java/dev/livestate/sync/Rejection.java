package dev.livestate.sync;

/** Why a change was not applied. Each has a stable code used on the wire. */
public enum Rejection {
  /** Another writer changed the key first and the room's policy kept that value. */
  CONFLICT("conflict"),
  /** The client joined as a reader. */
  READER("forbidden"),
  /** Another client leads the room, or the room admits only its leader. */
  NOT_LEADER("not_leader"),
  /** The room is sealed (e.g. a published meet) and takes no more changes. */
  SEALED("sealed");

  private final String code;

  Rejection(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
