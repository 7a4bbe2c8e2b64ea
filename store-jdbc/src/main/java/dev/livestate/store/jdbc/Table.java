package dev.livestate.store.jdbc;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The tables of a store; each name is the store's prefix plus the lower-case constant. */
enum Table {
  ROOMS,
  OPS,
  ENTRIES,
  ATTRIBUTES,
  STREAM,
  /** Each client's decided changes, for resends (decision 007). */
  LEDGER,
  /** One row the store rewrites to learn whether the database takes writes; of no room. */
  PROBE;

  /** The tables holding rows of rooms: all but the probe. */
  static final List<Table> OF_ROOMS =
      Arrays.stream(values()).filter(t -> t.roomColumn() != null).toList();

  String in(String prefix) {
    return prefix + name().toLowerCase(Locale.ROOT);
  }

  /** The column naming the room a row belongs to; null for a table of no room. */
  String roomColumn() {
    return switch (this) {
      case ROOMS -> "name";
      case PROBE -> null;
      default -> "room";
    };
  }
}
