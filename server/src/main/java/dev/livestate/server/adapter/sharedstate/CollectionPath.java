package dev.livestate.server.adapter.sharedstate;

import java.util.ArrayList;
import java.util.List;

/**
 * A collection's path, {@code /app/service/collection}, normalised: a missing leading slash,
 * a trailing slash, repeated slashes and {@code .} segments make no difference, and the
 * {@code /resources} prefix of later versions of the original client is dropped. Subscriptions
 * and updates use the same normal form, so they always meet in the same room.
 */
record CollectionPath(String app, String service, String collection) {
  static final String ROOM_PREFIX = "sharedstate:";

  /** The path's segments, normalised; empty for the root. */
  static List<String> segments(String raw) {
    List<String> out = new ArrayList<>();
    for (String s : raw.split("/")) {
      if (!s.isEmpty() && !s.equals(".")) {
        out.add(s);
      }
    }
    return out;
  }

  /** The normal form of any path: {@code /a/b/c}, or {@code /} for the root. */
  static String normalise(String raw) {
    List<String> s = segments(raw);
    if (s.size() == 4 && s.get(0).equals("resources")) {
      s = s.subList(1, 4);
    }
    return "/" + String.join("/", s);
  }

  /** The collection a path names, or null when it does not have three segments. */
  static CollectionPath parse(String raw) {
    List<String> s = segments(raw);
    if (s.size() == 4 && s.get(0).equals("resources")) {
      s = s.subList(1, 4);
    }
    if (s.size() != 3) {
      return null;
    }
    return new CollectionPath(s.get(0), s.get(1), s.get(2));
  }

  /** The path of a room of this surface, or null for another surface's room. */
  static String ofRoom(String room) {
    return room.startsWith(ROOM_PREFIX) ? room.substring(ROOM_PREFIX.length()) : null;
  }

  String path() {
    return "/" + app + "/" + service + "/" + collection;
  }

  String room() {
    return ROOM_PREFIX + path();
  }
}
