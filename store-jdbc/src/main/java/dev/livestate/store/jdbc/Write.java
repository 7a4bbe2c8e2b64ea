package dev.livestate.store.jdbc;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.LedgerEntry;
import dev.livestate.stream.StreamMessage;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * One queued write, applied within a group's {@link Transaction}. A write that is invalid by
 * itself throws {@link Transaction.Refused} before it touches any row, so it fails alone.
 */
sealed interface Write {
  void apply(Transaction tx) throws SQLException;

  /** Records a room, replacing whatever was kept under its name. */
  record Create(String room, String config, String epoch) implements Write {
    @Override
    public void apply(Transaction tx) throws SQLException {
      tx.checkLengths(room, List.of());
      tx.checkFence(room);
      for (Table t : List.of(Table.OPS, Table.ENTRIES, Table.ATTRIBUTES, Table.STREAM,
          Table.LEDGER)) {
        PreparedStatement ps = tx.now(t, tx.sql.deleteRoomRows(t));
        ps.setString(1, room);
        ps.executeUpdate();
      }
      PreparedStatement ps = tx.row(Table.ROOMS, tx.sql.upsertRoom);
      ps.setString(1, room);
      ps.setString(2, config);
      ps.setString(3, epoch);
      ps.setLong(4, 0);
      ps.addBatch();
      tx.created(room);
      Long generation = tx.fenceOf(room);
      if (generation != null) {
        tx.writeFence(room, generation);
      }
    }
  }

  /** Makes this store the room's owner of {@code generation} for its later writes. */
  record Fence(String room, long generation) implements Write {
    @Override
    public void apply(Transaction tx) throws SQLException {
      tx.fence(room, generation);
    }
  }

  /**
   * Ops with their bodies encoded by the caller, so the writer thread only binds and sends, and
   * what the batch changed in the resend ledger.
   */
  record Append(String room, List<Op> ops, List<String> bodies, List<LedgerEntry> ledger)
      implements Write {
    @Override
    public void apply(Transaction tx) throws SQLException {
      tx.requireRoom(room);
      LedgerRows.check(tx, room, ledger);
      long head = tx.head(room);
      for (int i = 0; i < ops.size(); i++) {
        if (ops.get(i).seq() != head + 1 + i) {
          throw new Transaction.Refused(
              "gap in room " + room + ": head " + (head + i) + ", op " + ops.get(i).seq());
        }
        tx.checkLengths(room, ops.get(i).change().values().keySet());
      }
      for (int i = 0; i < ops.size(); i++) {
        Op op = ops.get(i);
        if (op.change() instanceof Change.Reset) {
          PreparedStatement ps = tx.now(Table.ENTRIES, tx.sql.tombstoneEntries);
          ps.setLong(1, op.seq());
          ps.setString(2, op.writer());
          ps.setInt(3, op.priority());
          ps.setString(4, room);
          ps.executeUpdate();
        }
        PreparedStatement ps = tx.row(Table.OPS, tx.sql.insertOp);
        ps.setString(1, room);
        ps.setLong(2, op.seq());
        ps.setString(3, op.writer());
        ps.setLong(4, op.localSeq());
        ps.setInt(5, op.priority());
        ps.setLong(6, op.time());
        ps.setString(7, OpCodec.kind(op.change()));
        ps.setString(8, bodies.get(i));
        ps.addBatch();
        int index = 0;
        for (Map.Entry<String, Json> e : op.change().values().entrySet()) {
          PreparedStatement entry = tx.row(Table.ENTRIES, tx.sql.upsertEntry);
          entry.setString(1, room);
          entry.setString(2, e.getKey());
          entry.setString(3, e.getValue() == null ? null : e.getValue().text());
          entry.setLong(4, op.seq());
          entry.setString(5, op.writer());
          entry.setInt(6, op.priority());
          // the place this key takes if it is new or revived (the upsert keeps a live key's)
          entry.setLong(7, op.seq());
          entry.setInt(8, index++);
          entry.addBatch();
        }
      }
      if (!ops.isEmpty()) {
        tx.advanced(room, ops.get(ops.size() - 1).seq());
      }
      LedgerRows.write(tx, room, ledger);
    }
  }

  /**
   * Sets an attribute, or with a null value removes it. A room the store does not hold is
   * refused: acking the write would ack what is not kept.
   */
  record Attribute(String room, String key, Json value) implements Write {
    @Override
    public void apply(Transaction tx) throws SQLException {
      tx.requireRoom(room);
      tx.checkLengths(room, List.of(key));
      if (value == null) {
        PreparedStatement ps = tx.row(Table.ATTRIBUTES, tx.sql.deleteAttribute);
        ps.setString(1, room);
        ps.setString(2, key);
        ps.addBatch();
      } else {
        PreparedStatement ps = tx.row(Table.ATTRIBUTES, tx.sql.upsertAttribute);
        ps.setString(1, room);
        ps.setString(2, key);
        ps.setString(3, value.text());
        ps.addBatch();
      }
    }
  }

  /**
   * Adds a stream message; the same id again replaces it rather than failing the group. A room
   * the store does not hold is refused, as for an attribute.
   */
  record Publish(String room, StreamMessage message) implements Write {
    @Override
    public void apply(Transaction tx) throws SQLException {
      tx.requireRoom(room);
      PreparedStatement ps = tx.row(Table.STREAM, tx.sql.upsertStream);
      ps.setString(1, room);
      ps.setLong(2, message.id());
      ps.setLong(3, message.time());
      ps.setLong(4, message.expiresAt());
      ps.setString(5, message.body().text());
      ps.addBatch();
    }
  }

  record Trim(String room, long throughSeq) implements Write {
    @Override
    public void apply(Transaction tx) throws SQLException {
      tx.checkFence(room);
      PreparedStatement ps = tx.now(Table.OPS, tx.sql.trimOps);
      ps.setString(1, room);
      ps.setLong(2, throughSeq);
      ps.executeUpdate();
    }
  }

  record Expire(long now) implements Write {
    @Override
    public void apply(Transaction tx) throws SQLException {
      PreparedStatement ps = tx.now(Table.STREAM, tx.sql.expireStream);
      ps.setLong(1, now);
      ps.executeUpdate();
    }
  }

  record Delete(String room) implements Write {
    @Override
    public void apply(Transaction tx) throws SQLException {
      tx.checkFence(room);
      for (Table t : Table.OF_ROOMS) {
        PreparedStatement ps = tx.now(t, tx.sql.deleteRoomRows(t));
        ps.setString(1, room);
        ps.executeUpdate();
      }
      tx.deleted(room);
    }
  }

  /** Rewrites the probe row: a write of no room whose commit says the database takes writes. */
  record Probe(long at) implements Write {
    @Override
    public void apply(Transaction tx) throws SQLException {
      PreparedStatement ps = tx.row(Table.PROBE, tx.sql.upsertProbe);
      ps.setInt(1, 1);
      ps.setLong(2, at);
      ps.addBatch();
    }
  }
}
