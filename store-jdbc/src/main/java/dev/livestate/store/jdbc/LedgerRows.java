package dev.livestate.store.jdbc;

import dev.livestate.room.LedgerEntry;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * The resend ledger's rows: an ack (its seq), a refusal (its code and message), or the marker of
 * a client's floor (the code {@link #FORGOTTEN}), through which its decisions are forgotten. A
 * refusal's winners are not kept: a resend after a restart gets the code and message alone.
 */
final class LedgerRows {
  static final String FORGOTTEN = "forgotten";

  private LedgerRows() {}

  /**
   * Refuses entries whose client id is longer than the schema holds (it is a key, as a state key
   * is), before the write touches any row.
   */
  static void check(Transaction tx, String room, List<LedgerEntry> entries) {
    tx.checkLengths(room, entries.stream().map(LedgerEntry::clientId).toList());
  }

  /**
   * Applies {@code entries} in order, after the rows already batched for the table; the rows a
   * floor forgets are deleted when the transaction commits ({@link Transaction#forget}).
   */
  static void write(Transaction tx, String room, List<LedgerEntry> entries) throws SQLException {
    for (LedgerEntry entry : entries) {
      if (entry instanceof LedgerEntry.Decided d) {
        upsert(tx, room, d.clientId(), d.outcome().localSeq(), d.outcome());
      } else if (entry instanceof LedgerEntry.Forgotten f) {
        // the marker replaces a decision at the floor; those below go at commit
        upsert(tx, room, f.clientId(), f.throughLocalSeq(), null);
        tx.forget(room, f.clientId(), f.throughLocalSeq());
      }
    }
  }

  /** A decision's row, or with no outcome the floor's marker. */
  private static void upsert(Transaction tx, String room, String client, long localSeq,
      Outcome outcome) throws SQLException {
    PreparedStatement ps = tx.row(Table.LEDGER, tx.sql.upsertLedger);
    ps.setString(1, room);
    ps.setString(2, client);
    ps.setLong(3, localSeq);
    if (outcome instanceof Outcome.Accepted a) {
      ps.setLong(4, a.seq());
      ps.setNull(5, Types.VARCHAR);
      ps.setNull(6, Types.VARCHAR);
    } else {
      ps.setNull(4, Types.BIGINT);
      Outcome.Rejected r = (Outcome.Rejected) outcome;
      ps.setString(5, r == null ? FORGOTTEN : r.reason().code());
      ps.setString(6, r == null ? null : r.message());
    }
    ps.addBatch();
  }

  /**
   * The entry of the row {@code rs} stands at, read by {@code selectLedger}'s columns (room,
   * client, local_seq, seq, code, message).
   */
  static LedgerEntry read(ResultSet rs) throws SQLException {
    String client = rs.getString(2);
    long localSeq = rs.getLong(3);
    long seq = rs.getLong(4);
    if (!rs.wasNull()) {
      return new LedgerEntry.Decided(client, new Outcome.Accepted(localSeq, seq));
    }
    String code = rs.getString(5);
    if (FORGOTTEN.equals(code)) {
      return new LedgerEntry.Forgotten(client, localSeq);
    }
    return new LedgerEntry.Decided(client, new Outcome.Rejected(localSeq, Rejection.ofCode(code),
        rs.getString(6), Map.of()));
  }
}
