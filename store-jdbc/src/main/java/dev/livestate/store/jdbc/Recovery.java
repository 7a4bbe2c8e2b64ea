package dev.livestate.store.jdbc;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.LedgerEntry;
import dev.livestate.room.RoomConfig;
import dev.livestate.state.Entry;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.StreamMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every room back: one query per table, each row sorted to its room. Rows of a room that
 * is not in rooms (none should be) are ignored.
 */
final class Recovery {
  private static final int FETCH = 1_000;

  /** A room being read back. */
  private static final class Found {
    final String name;
    final RoomConfig config;
    final String epoch;
    final long head;
    /** In the order the rows come: the room's key order. */
    final Map<String, Entry> entries = new LinkedHashMap<>();
    final List<Op> newestFirst = new ArrayList<>();
    final List<StreamMessage> stream = new ArrayList<>();
    final Map<String, Json> attributes = new HashMap<>();
    final List<LedgerEntry> ledger = new ArrayList<>();
    /** The {@link Op#textSize} of {@link #newestFirst}. */
    long newestBytes;
    /** Whether an op did not fit retainBytes: older ones are not history the room keeps. */
    boolean historyFull;

    Found(String name, RoomConfig config, String epoch, long head) {
      this.name = name;
      this.config = config;
      this.epoch = epoch;
      this.head = head;
    }

    StoredRoom stored() {
      List<Op> recent = new ArrayList<>(newestFirst);
      Collections.reverse(recent);
      return new StoredRoom(name, config, epoch, head, Collections.unmodifiableMap(entries),
          List.copyOf(recent), List.copyOf(stream), Map.copyOf(attributes), List.copyOf(ledger));
    }
  }

  /**
   * The queries recovery runs: of every room, of one, or of one's new ops ({@code after}: the
   * seq the ops query reads after, its second parameter; null where it has none). A null query
   * leaves its part of the room empty.
   */
  private record Queries(String rooms, String entries, String ops, Long after, String stream,
      String attributes, String ledger) {}

  private Recovery() {}

  static List<StoredRoom> read(Connection c, Statements sql, long now) throws SQLException {
    return read(c, new Queries(sql.selectRooms, sql.selectEntries, sql.selectOps, null,
        sql.selectStream, sql.selectAttributes, sql.selectLedger), null, now);
  }

  /** One room as {@link #read} would find it, or null when the store holds no such room. */
  static StoredRoom readOne(Connection c, Statements sql, String room, long now)
      throws SQLException {
    return first(read(c, new Queries(sql.selectRoom, sql.selectRoomEntries, sql.selectRoomOps,
        null, sql.selectRoomStream, sql.selectRoomAttributes, sql.selectRoomLedger), room, now));
  }

  /**
   * One room with only its attributes and the ops after {@code afterSeq} (as many as it keeps),
   * as {@link dev.livestate.store.Store#loadAfter} reads it; null when there is no such room.
   */
  static StoredRoom readAfter(Connection c, Statements sql, String room, long afterSeq, long now)
      throws SQLException {
    return first(read(c, new Queries(sql.selectRoom, null, sql.selectRoomOpsAfter, afterSeq,
        null, sql.selectRoomAttributes, null), room, now));
  }

  private static StoredRoom first(List<StoredRoom> found) {
    return found.isEmpty() ? null : found.get(0);
  }

  /** Reads with {@code queries}; {@code room}, when not null, is their first parameter. */
  private static List<StoredRoom> read(Connection c, Queries queries, String room, long now)
      throws SQLException {
    Map<String, Found> rooms = new LinkedHashMap<>();
    try (PreparedStatement ps = query(c, queries.rooms(), room); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String name = rs.getString(1);
        rooms.put(name, new Found(name, ConfigCodec.read(rs.getString(2)), rs.getString(3),
            rs.getLong(4)));
      }
    }
    if (queries.entries() != null) {
      readEntries(c, queries.entries(), room, rooms);
    }
    readOps(c, queries, room, rooms);
    if (queries.stream() != null) {
      readStream(c, queries.stream(), room, now, rooms);
    }
    try (PreparedStatement ps = query(c, queries.attributes(), room);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Found f = rooms.get(rs.getString(1));
        if (f != null) {
          f.attributes.put(rs.getString(2), new Json(rs.getString(3)));
        }
      }
    }
    if (queries.ledger() != null) {
      readLedger(c, queries.ledger(), room, rooms);
    }
    List<StoredRoom> all = new ArrayList<>(rooms.size());
    rooms.values().forEach(f -> all.add(f.stored()));
    return all;
  }

  private static void readEntries(Connection c, String entries, String room,
      Map<String, Found> rooms) throws SQLException {
    try (PreparedStatement ps = query(c, entries, room); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Found f = rooms.get(rs.getString(1));
        if (f != null) {
          String value = rs.getString(3);
          f.entries.put(rs.getString(2), new Entry(value == null ? null : new Json(value),
              rs.getLong(4), rs.getString(5), rs.getInt(6)));
        }
      }
    }
  }

  private static void readOps(Connection c, Queries queries, String room,
      Map<String, Found> rooms) throws SQLException {
    try (PreparedStatement ps = query(c, queries.ops(), room)) {
      if (queries.after() != null) {
        ps.setLong(2, queries.after());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Found f = rooms.get(rs.getString(1));
          // a room keeps at most retainOps and retainBytes of them: read no more than that
          if (f != null && !f.historyFull && f.newestFirst.size() < f.config.retainOps()) {
            Op op = new Op(rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getInt(5),
                rs.getLong(6), OpCodec.change(rs.getString(7), rs.getString(8)));
            if (f.newestBytes + op.textSize() <= f.config.retainBytes()) {
              f.newestFirst.add(op);
              f.newestBytes += op.textSize();
            } else {
              f.historyFull = true;
            }
          }
        }
      }
    }
  }

  private static void readStream(Connection c, String stream, String room, long now,
      Map<String, Found> rooms) throws SQLException {
    try (PreparedStatement ps = query(c, stream, room)) {
      ps.setLong(room == null ? 1 : 2, now);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Found f = rooms.get(rs.getString(1));
          if (f != null) {
            f.stream.add(new StreamMessage(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                new Json(rs.getString(5))));
          }
        }
      }
    }
  }

  private static void readLedger(Connection c, String ledger, String room,
      Map<String, Found> rooms) throws SQLException {
    try (PreparedStatement ps = query(c, ledger, room); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Found f = rooms.get(rs.getString(1));
        if (f != null) {
          f.ledger.add(LedgerRows.read(rs));
        }
      }
    }
  }

  /**
   * A query that streams its rows where the driver can (PostgreSQL: needs auto-commit off), with
   * {@code room} bound as its first parameter unless null.
   */
  private static PreparedStatement query(Connection c, String sql, String room)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.setFetchSize(FETCH);
    if (room != null) {
      ps.setString(1, room);
    }
    return ps;
  }
}
