package dev.livestate.store.jdbc;

import java.util.Locale;

/** The tables of a store; each name is the store's prefix plus the lower-case constant. */
enum Table {
  ROOMS,
  OPS,
  ENTRIES,
  ATTRIBUTES,
  STREAM;

  String in(String prefix) {
    return prefix + name().toLowerCase(Locale.ROOT);
  }

  /** The column naming the room a row belongs to. */
  String roomColumn() {
    return this == ROOMS ? "name" : "room";
  }
}
