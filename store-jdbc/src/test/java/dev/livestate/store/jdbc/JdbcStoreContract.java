package dev.livestate.store.jdbc;

import static dev.livestate.testkit.store.TestOps.json;
import static dev.livestate.testkit.store.TestOps.put;
import static dev.livestate.testkit.store.TestOps.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.RoomConfig;
import dev.livestate.state.Entry;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import dev.livestate.stream.StreamMessage;
import dev.livestate.testkit.store.StoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a JDBC store, and what only its tables can show: recovery skips rows it
 * does not want, so rows a store should have deleted are seen here, by counting them with SQL.
 */
abstract class JdbcStoreContract extends StoreContract {

  /** A connection of the test's own to the store's database, beside the store's. */
  abstract Connection tables() throws SQLException;

  /** The prefix of the store's table names. */
  abstract String prefix();

  @Test
  void expireDeletesTheExpiredRowsFromTheStreamTable() throws Exception {
    create("r");
    create("s");
    long[] expiries = {NOW - 10, NOW, NOW + 1, LATER};
    for (int i = 0; i < expiries.length; i++) {
      StreamMessage m = new StreamMessage(i + 1, NOW - 20, expiries[i], json("1"));
      ok(c -> store.publish("r", m, c));
    }
    ok(c -> store.publish("s", new StreamMessage(1, NOW - 20, NOW, json("1")), c));
    assertEquals(List.of("r 1", "r 2", "r 3", "r 4", "s 1"), streamRows());

    store.expire(NOW);
    // Writes apply in call order, so once this one is committed the expiry is too.
    ok(c -> store.putAttribute("r", "after", json("1"), c));

    assertEquals(List.of("r 3", "r 4"), streamRows());
  }

  @Test
  void writesForADeletedRoomLeaveNoRowInAnyTable() throws Exception {
    for (String room : List.of("gone", "kept")) {
      create(room);
      ok(c -> store.append(room, List.of(put(1, "w", "k", "1")), c));
      ok(c -> store.putAttribute(room, "a", json("1"), c));
      ok(c -> store.publish(room, new StreamMessage(1, NOW, LATER, json("1")), c));
    }
    for (Table t : Table.OF_ROOMS) {
      assertEquals(1, rows(t, "gone"), t + " before the delete");
    }

    CompletableFuture<Void> deleted = committed(c -> store.delete("gone", c));
    List<CompletableFuture<Void>> late = new ArrayList<>(writesTo("gone", 2));
    deleted.get(WAIT_SECONDS, TimeUnit.SECONDS);
    late.addAll(writesTo("gone", 3));
    for (CompletableFuture<Void> write : late) {
      settled(write);
    }
    assertNoRowsOf("gone");

    recovered(NOW);
    for (CompletableFuture<Void> write : writesTo("gone", 4)) {
      settled(write);
    }
    assertNoRowsOf("gone");
    for (Table t : Table.OF_ROOMS) {
      assertEquals(1, rows(t, "kept"), t + " of the room that was not deleted");
    }
  }

  @Test
  void aProbeRewritesItsOneRow() throws Exception {
    ok(store::probe);
    ok(store::probe);

    String count = "SELECT COUNT(*), MIN(at) FROM " + Table.PROBE.in(prefix());
    try (Connection c = tables(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(count)) {
      rs.next();
      assertEquals(1, rs.getLong(1));
      assertTrue(rs.getLong(2) > 0, "the time of the probe");
    }
  }

  @Test
  void recoverSeesEveryWriteCalledBeforeItWithoutWaiting() throws Exception {
    create("r");
    for (int seq = 1; seq <= 4; seq++) {
      store.append("r", List.of(put(seq, "w", "k", String.valueOf(seq))), Store.Commit.NONE);
      store.putAttribute("r", "last", json(String.valueOf(seq)), Store.Commit.NONE);
      StoredRoom r = store.recover(NOW).get(0);
      assertEquals(seq, r.head());
      assertEquals(Map.of("last", json(String.valueOf(seq))), r.attributes());
    }
  }

  /**
   * A database as the first schema left it: entries without a place, op bodies in which null
   * deletes a key. Opening it adds the place columns; what it held is recovered as it was written,
   * and rows without a place come after those written since.
   */
  @Test
  void aDatabaseOfTheFirstFormatIsRecoveredAsItWasWrittenAndGoesOn() throws Exception {
    create("r");
    store.close();
    String entries = Table.ENTRIES.in(prefix());
    try (Connection c = tables(); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + entries + " DROP COLUMN place_seq");
      s.execute("ALTER TABLE " + entries + " DROP COLUMN place_index");
      s.execute("INSERT INTO " + Table.OPS.in(prefix())
          + " (room, seq, writer, local_seq, priority, time, kind, body) VALUES"
          + " ('r', 1, 'w', 10, 0, 5, 'put', '{\"b\":1,\"gone\":null,\"a\":\"x\"}'),"
          + " ('r', 2, 'w', 20, 0, 6, 'reset', '{\"b\":2,\"a\":null}')");
      s.execute("INSERT INTO " + entries + " (room, key_name, value, seq, writer, priority) VALUES"
          + " ('r', 'b', '2', 2, 'w', 0), ('r', 'a', NULL, 2, 'w', 0), ('r', 'gone', NULL, 1, 'w', 0)");
      s.execute("UPDATE " + Table.ROOMS.in(prefix()) + " SET head = 2 WHERE name = 'r'");
    }

    StoredRoom r = recovered(NOW).get("r");
    assertEquals(List.of(
            new Op(1, "w", 10, 0, 5, new Change.Put(values("b", "1", "gone", null, "a", "\"x\""))),
            new Op(2, "w", 20, 0, 6, new Change.Reset(values("b", "2", "a", null)))),
        r.recentOps(), "null in a first-format body is a delete");
    assertEquals(new Entry(json("2"), 2, "w", 0), r.entries().get("b"));
    assertTrue(r.entries().get("a").deleted() && r.entries().get("gone").deleted());

    ok(c -> store.append("r", List.of(put(3, "v", "c", "3", "a", "null", "b", "4")), c));
    recovered(NOW);
    r = recovered(NOW).get("r");
    assertEquals(List.of("c", "a", "b", "gone"), List.copyOf(r.entries().keySet()),
        "the revived a takes a place; b, live, keeps having none and comes after");
    assertEquals(new Entry(Json.NULL, 3, "v", 0), r.entries().get("a"));
    assertEquals(3, r.head());
  }

  @Test
  void theLongestNamesAndKeysTheSchemaHoldsAreKeptWhole() throws Exception {
    // Counted in code points: the last character needs two chars in Java, one in the database.
    String room = longText('r', longestName());
    String key = longText('k', longestKey());
    ok(c -> store.create(room, RoomConfig.DEFAULT, "e", c));
    ok(c -> store.append(room, List.of(put(1, "w", key, "1")), c));
    ok(c -> store.putAttribute(room, key, json("2"), c));

    StoredRoom r = recovered(NOW).get(room);
    assertEquals(json("1"), r.entries().get(key).value());
    assertEquals(Map.of(key, json("2")), r.attributes());
    assertEquals(key, r.recentOps().get(0).change().values().keySet().iterator().next());
  }

  /** The most code points a room name may have in this database; far more than MariaDB's. */
  int longestName() {
    return 1_000;
  }

  /** The most code points a key may have in this database. */
  int longestKey() {
    return 2_000;
  }

  /** {@code length} code points: {@code c} repeated, then one outside the BMP. */
  static String longText(char c, int length) {
    return String.valueOf(c).repeat(length - 1) + "\uD83C\uDF89";
  }

  private void assertNoRowsOf(String room) throws SQLException {
    for (Table t : Table.OF_ROOMS) {
      assertEquals(0, rows(t, room), t + " rows of deleted room " + room);
    }
  }

  long rows(Table table, String room) throws SQLException {
    try (Connection c = tables(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM "
        + table.in(prefix()) + " WHERE " + table.roomColumn() + " = ?")) {
      ps.setString(1, room);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Every row of the stream table, as "room id", in that order. */
  private List<String> streamRows() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = tables(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT room, id FROM " + Table.STREAM.in(prefix()) + " ORDER BY room, id")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getLong(2));
      }
    }
    return rows;
  }
}
