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
  SEALED("sealed"),
  /**
   * A resend of a change whose decision the room no longer remembers (the client confirmed it
   * saw it, or it is older than the client's last decisions the room keeps): not applied again.
   * Never recorded: it is no decision.
   */
  FORGOTTEN("forgotten");

  private final String code;

  Rejection(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The rejection of that wire code, as a store gives it back. */
  public static Rejection ofCode(String code) {
    for (Rejection r : values()) {
      if (r.code.equals(code)) {
        return r;
      }
    }
    throw new IllegalArgumentException("no rejection has the code '" + code + "'");
  }
}
