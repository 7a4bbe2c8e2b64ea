package dev.livestate.store.jdbc;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Every SQL statement of one store, written once for its dialect and table prefix. */
final class Statements {
  final Dialect dialect;
  final String upsertRoom;
  final String selectHead;
  final String setHead;
  /** A room's fencing generation and head, its row locked until the transaction ends. */
  final String selectFence;
  final String setFence;
  final String insertOp;
  final String trimOps;
  final String upsertEntry;
  final String tombstoneEntries;
  final String upsertAttribute;
  final String deleteAttribute;
  final String upsertStream;
  final String expireStream;
  final String selectRooms;
  final String selectEntries;
  final String selectOps;
  final String selectStream;
  final String selectAttributes;
  final String upsertProbe;
  final String upsertLedger;
  final String forgetLedger;
  final String selectLedger;
  final String selectRoomLedger;
  /** The select statements of recovery narrowed to one room, named by their first parameter. */
  final String selectRoom;
  final String selectRoomEntries;
  final String selectRoomOps;
  /** A room's ops after a seq (second parameter), newest first. */
  final String selectRoomOpsAfter;
  final String selectRoomStream;
  final String selectRoomAttributes;
  private final Map<Table, String> deleteRoomRows = new EnumMap<>(Table.class);

  Statements(Dialect dialect, String prefix) {
    this.dialect = dialect;
    String rooms = Table.ROOMS.in(prefix);
    String ops = Table.OPS.in(prefix);
    String entries = Table.ENTRIES.in(prefix);
    String attributes = Table.ATTRIBUTES.in(prefix);
    String stream = Table.STREAM.in(prefix);
    upsertRoom = dialect.upsert(rooms, List.of("name"), List.of("name", "config", "epoch", "head"));
    selectHead = "SELECT head FROM " + rooms + " WHERE name = ?";
    setHead = "UPDATE " + rooms + " SET head = ? WHERE name = ?";
    selectFence = "SELECT owner_gen, head FROM " + rooms + " WHERE name = ?" + dialect.lockRow();
    setFence = "UPDATE " + rooms + " SET owner_gen = ? WHERE name = ?";
    insertOp = "INSERT INTO " + ops
        + " (room, seq, writer, local_seq, priority, time, kind, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    trimOps = "DELETE FROM " + ops + " WHERE room = ? AND seq <= ?";
    upsertEntry = dialect.upsert(entries, List.of("room", "key_name"),
        List.of("room", "key_name", "value", "seq", "writer", "priority", "place_seq",
            "place_index"),
        List.of("place_seq", "place_index"));
    tombstoneEntries = "UPDATE " + entries
        + " SET value = NULL, seq = ?, writer = ?, priority = ? WHERE room = ? AND value IS NOT NULL";
    upsertAttribute = dialect.upsert(attributes, List.of("room", "key_name"),
        List.of("room", "key_name", "value"));
    deleteAttribute = "DELETE FROM " + attributes + " WHERE room = ? AND key_name = ?";
    upsertStream = dialect.upsert(stream, List.of("room", "id"),
        List.of("room", "id", "time", "expires_at", "body"));
    expireStream = "DELETE FROM " + stream + " WHERE expires_at <= ?";
    selectRooms = "SELECT name, config, epoch, head FROM " + rooms;
    // In each room's order; rows of the first schema, with no place, after the others.
    selectEntries = "SELECT room, key_name, value, seq, writer, priority FROM " + entries
        + " ORDER BY place_seq IS NULL, place_seq, place_index, key_name";
    // Newest first, so recovery can stop decoding a room's ops once it holds retainOps of them.
    selectOps = "SELECT room, seq, writer, local_seq, priority, time, kind, body FROM " + ops
        + " ORDER BY room, seq DESC";
    selectStream = "SELECT room, id, time, expires_at, body FROM " + stream
        + " WHERE expires_at > ? ORDER BY room, id";
    selectAttributes = "SELECT room, key_name, value FROM " + attributes;
    String ledger = Table.LEDGER.in(prefix);
    upsertLedger = dialect.upsert(ledger, List.of("room", "client", "local_seq"),
        List.of("room", "client", "local_seq", "seq", "code", "message"));
    // strictly below: the floor's own marker row stays
    forgetLedger = "DELETE FROM " + ledger + " WHERE room = ? AND client = ? AND local_seq < ?";
    // in key order, so that reading a room twice gives the same list
    selectLedger = "SELECT room, client, local_seq, seq, code, message FROM " + ledger
        + " ORDER BY room, client, local_seq";
    selectRoomLedger = ofOneRoom(selectLedger, "room");
    upsertProbe = dialect.upsert(Table.PROBE.in(prefix), List.of("id"), List.of("id", "at"));
    selectRoom = ofOneRoom(selectRooms, "name");
    selectRoomEntries = ofOneRoom(selectEntries, "room");
    selectRoomOps = ofOneRoom(selectOps, "room");
    selectRoomOpsAfter = selectRoomOps.replace(" ORDER BY ", " AND seq > ? ORDER BY ");
    selectRoomStream = ofOneRoom(selectStream, "room");
    selectRoomAttributes = ofOneRoom(selectAttributes, "room");
    for (Table t : Table.OF_ROOMS) {
      deleteRoomRows.put(t, "DELETE FROM " + t.in(prefix) + " WHERE " + t.roomColumn() + " = ?");
    }
  }

  /**
   * A query of every room's rows narrowed to the room given as its first parameter, ahead of any
   * it has: derived from the query itself, so that both read a room's rows the same way.
   */
  static String ofOneRoom(String query, String roomColumn) {
    String where = " WHERE ";
    if (query.contains(where)) {
      return query.replace(where, where + roomColumn + " = ? AND ");
    }
    String order = " ORDER BY ";
    if (query.contains(order)) {
      return query.replace(order, where + roomColumn + " = ?" + order);
    }
    return query + where + roomColumn + " = ?";
  }

  /** Deletes the rows of one room from {@code table}. */
  String deleteRoomRows(Table table) {
    return deleteRoomRows.get(table);
  }
}
