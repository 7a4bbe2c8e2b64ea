package dev.livestate.store.jdbc;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
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
          List.copyOf(recent), List.copyOf(stream), Map.copyOf(attributes));
    }
  }

  private Recovery() {}

  static List<StoredRoom> read(Connection c, Statements sql, long now) throws SQLException {
    Map<String, Found> rooms = new LinkedHashMap<>();
    try (PreparedStatement ps = query(c, sql.selectRooms); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String name = rs.getString(1);
        rooms.put(name, new Found(name, ConfigCodec.read(rs.getString(2)), rs.getString(3),
            rs.getLong(4)));
      }
    }
    try (PreparedStatement ps = query(c, sql.selectEntries); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Found f = rooms.get(rs.getString(1));
        if (f != null) {
          String value = rs.getString(3);
          f.entries.put(rs.getString(2), new Entry(value == null ? null : new Json(value),
              rs.getLong(4), rs.getString(5), rs.getInt(6)));
        }
      }
    }
    try (PreparedStatement ps = query(c, sql.selectOps); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Found f = rooms.get(rs.getString(1));
        if (f != null && f.newestFirst.size() < f.config.retainOps()) {
          f.newestFirst.add(new Op(rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getInt(5),
              rs.getLong(6), OpCodec.change(rs.getString(7), rs.getString(8))));
        }
      }
    }
    try (PreparedStatement ps = query(c, sql.selectStream)) {
      ps.setLong(1, now);
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
    try (PreparedStatement ps = query(c, sql.selectAttributes); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Found f = rooms.get(rs.getString(1));
        if (f != null) {
          f.attributes.put(rs.getString(2), new Json(rs.getString(3)));
        }
      }
    }
    List<StoredRoom> all = new ArrayList<>(rooms.size());
    rooms.values().forEach(f -> all.add(f.stored()));
    return all;
  }

  /** A query that streams its rows where the driver can (PostgreSQL: needs auto-commit off). */
  private static PreparedStatement query(Connection c, String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.setFetchSize(FETCH);
    return ps;
  }
}
