package dev.livestate.store.jdbc;

import dev.livestate.store.FencedOut;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One group commit: the writes of many rooms applied on one connection, in call order, then
 * committed together.
 *
 * <p>Rows go out as JDBC batches, one per statement, so a thousand small appends cost a handful
 * of round trips. Batching reorders statements, which is safe only between different tables (no
 * keys or triggers tie them). Within a table the call order holds: switching to another
 * statement on a table first executes the batch pending on it, and a set-based statement (a
 * reset's tombstones, a room's deletion, a trim) runs only once its table's batch is out.
 *
 * <p>Heads are the writer's memory of each room's last seq, which makes gap checks free: a head
 * is read from the database the first time a room is touched, kept in this transaction's overlay
 * while it is open, and written to rooms once, at commit.
 */
final class Transaction {
  /** A write that is invalid by itself (a gap, an unknown room): it alone fails. */
  static final class Refused extends IllegalStateException {
    Refused(String message) {
      super(message);
    }
  }

  private static final long NO_ROOM = -1;

  final Statements sql;
  private final Connection connection;
  private final Map<String, Long> committedHeads;
  private final Map<String, Long> heads = new HashMap<>();
  private final Set<String> advanced = new LinkedHashSet<>();
  private final PreparedStatements prepared;
  private final Map<Table, PreparedStatement> pending = new EnumMap<>(Table.class);
  /** The generation this store writes each fenced room as, kept past this transaction. */
  private final Map<String, Long> committedFences;
  /** Fences set in this transaction, kept at commit. */
  private final Map<String, Long> fences = new HashMap<>();
  /** Fenced rooms whose row this transaction has checked (and locked). */
  private final Set<String> fenceChecked = new HashSet<>();
  /** The ledger floors set in this transaction, by room and client, applied at commit. */
  private final Map<String, Map<String, Long>> floors = new LinkedHashMap<>();

  Transaction(Connection connection, Statements sql, PreparedStatements prepared,
      Map<String, Long> committedHeads, Map<String, Long> committedFences) {
    this.connection = connection;
    this.sql = sql;
    this.prepared = prepared;
    this.committedHeads = committedHeads;
    this.committedFences = committedFences;
  }

  /** The room's last seq (0 for none yet), or -1 when there is no such room. */
  long head(String room) throws SQLException {
    checkFence(room);
    Long head = heads.get(room);
    if (head == null) {
      head = committedHeads.get(room);
    }
    if (head == null) {
      head = NO_ROOM;
      PreparedStatement ps = prepare(sql.selectHead);
      ps.setString(1, room);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          head = rs.getLong(1);
        }
      }
      heads.put(room, head);
    }
    return head;
  }

  /**
   * From now on this store writes {@code room} as its owner of {@code generation}: refused
   * unless it is later than the one the room's row holds, which it then replaces.
   */
  void fence(String room, long generation) throws SQLException {
    Long before = fences.put(room, generation);
    fenceChecked.remove(room);
    try {
      // a new holding must outrank the stored one: an equal generation is another claim's
      checkFence(room, true);
    } catch (FencedOut e) {
      // a refused write changes nothing: the store goes on writing as the owner it was
      if (before == null) {
        fences.remove(room);
      } else {
        fences.put(room, before);
      }
      throw e;
    }
  }

  /** The generation this store writes the room as, or null when it does not fence it. */
  Long fenceOf(String room) {
    Long generation = fences.get(room);
    return generation != null ? generation : committedFences.get(room);
  }

  /**
   * For a fenced room, once per transaction and before any of its rows is touched: locks the
   * room's row, refuses the write if a later owner fenced the room since, and reads the head
   * from the row, since another node may have written the room while this store did not own it.
   */
  void checkFence(String room) throws SQLException {
    checkFence(room, false);
  }

  private void checkFence(String room, boolean outrank) throws SQLException {
    Long generation = fenceOf(room);
    if (generation == null || !fenceChecked.add(room)) {
      return;
    }
    PreparedStatement ps = prepare(sql.selectFence);
    ps.setString(1, room);
    long owner;
    long head;
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return; // no room yet: its creation writes the generation
      }
      owner = rs.getLong(1);
      head = rs.getLong(2);
    }
    if (owner > generation || outrank && owner == generation) {
      fenceChecked.remove(room);
      throw new FencedOut(room, owner, generation);
    }
    heads.put(room, head);
    if (owner < generation) {
      writeFence(room, generation);
    }
  }

  /** Writes the room's fencing generation into its row (after its creation, too). */
  void writeFence(String room, long generation) throws SQLException {
    PreparedStatement ps = now(Table.ROOMS, sql.setFence);
    ps.setLong(1, generation);
    ps.setString(2, room);
    ps.executeUpdate();
  }

  /**
   * Refuses a room name or key longer than the schema holds, before any row is written: the
   * database would fail the whole group on it, or in a lax SQL mode quietly truncate it into
   * another key.
   */
  void checkLengths(String room, Iterable<String> keys) {
    check("room name", room, sql.dialect.maxRoomLength());
    for (String key : keys) {
      check("key", key, sql.dialect.maxKeyLength());
    }
  }

  private static void check(String what, String text, int max) {
    if (text.codePointCount(0, text.length()) > max) {
      throw new Refused(what + " longer than " + max + " characters: "
          + text.substring(0, 40) + "...");
    }
  }

  /** Refuses a write to a room the store does not hold (never created, or deleted). */
  void requireRoom(String room) throws SQLException {
    if (head(room) == NO_ROOM) {
      throw new Refused("no room " + room);
    }
  }

  void created(String room) {
    heads.put(room, 0L);
    advanced.remove(room);
    floors.remove(room);
  }

  void deleted(String room) {
    heads.put(room, NO_ROOM);
    advanced.remove(room);
    floors.remove(room);
  }

  /**
   * The client's ledger rows below {@code through} go at commit, after every row this
   * transaction batched: the room records nothing at or below a floor it has set, so deleting
   * last is the same as deleting in call order, and costs one statement per client and group
   * instead of one per change. A room created or deleted later in the group drops its floors.
   */
  void forget(String room, String client, long through) {
    floors.computeIfAbsent(room, r -> new LinkedHashMap<>()).merge(client, through, Math::max);
  }

  void advanced(String room, long head) {
    heads.put(room, head);
    advanced.add(room);
  }

  /** The statement to add a row to with {@code addBatch}, kept in call order within its table. */
  PreparedStatement row(Table table, String statement) throws SQLException {
    PreparedStatement ps = prepare(statement);
    PreparedStatement before = pending.put(table, ps);
    if (before != null && before != ps) {
      before.executeBatch();
    }
    return ps;
  }

  /** A statement to execute at once, after every row already batched for its table. */
  PreparedStatement now(Table table, String statement) throws SQLException {
    PreparedStatement before = pending.remove(table);
    if (before != null) {
      before.executeBatch();
    }
    return prepare(statement);
  }

  void commit() throws SQLException {
    for (String room : advanced) {
      PreparedStatement ps = row(Table.ROOMS, sql.setHead);
      ps.setLong(1, heads.get(room));
      ps.setString(2, room);
      ps.addBatch();
    }
    for (PreparedStatement ps : pending.values()) {
      ps.executeBatch();
    }
    if (!floors.isEmpty()) {
      PreparedStatement ps = prepare(sql.forgetLedger);
      for (Map.Entry<String, Map<String, Long>> room : floors.entrySet()) {
        for (Map.Entry<String, Long> floor : room.getValue().entrySet()) {
          ps.setString(1, room.getKey());
          ps.setString(2, floor.getKey());
          ps.setLong(3, floor.getValue());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
    connection.commit();
    committedFences.putAll(fences);
    heads.forEach((room, head) -> {
      if (head == NO_ROOM) {
        committedHeads.remove(room);
      } else {
        committedHeads.put(room, head);
      }
    });
  }

  private PreparedStatement prepare(String statement) throws SQLException {
    return prepared.on(connection, statement);
  }
}
