package dev.livestate.access;

import java.util.Locale;

/**
 * The surface a room belongs to, read from its name: each compatibility surface names its rooms
 * with a prefix of its own, and every other name is a native room. A door other than the room's
 * home reaches it only with an operator's grant ({@link Permit#admin()}), so a native client
 * cannot write into a live meet and a meet client cannot reach a native room. {@link #SYSTEM}
 * rooms hold the server's own records and no door reaches them.
 */
public enum Home {
  NATIVE(""),
  UI_SYNC("uisync:"),
  USER_STATUS("userstatus:"),
  SHARED_STATE("sharedstate:"),
  MEET("meet:"),
  SUPERSYNK("synk:"),
  SYSTEM("livestate:");

  private final String prefix;

  Home(String prefix) {
    this.prefix = prefix;
  }

  /** What names of this home's rooms start with (empty for native rooms). */
  public String prefix() {
    return prefix;
  }

  /** The home of the room named {@code room}. */
  public static Home of(String room) {
    for (Home h : values()) {
      if (!h.prefix.isEmpty() && room.startsWith(h.prefix)) {
        return h;
      }
    }
    return NATIVE;
  }

  /** A short name for messages and logs, e.g. {@code ui-sync}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
