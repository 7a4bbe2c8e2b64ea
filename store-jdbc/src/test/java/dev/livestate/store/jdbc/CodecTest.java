package dev.livestate.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {
  @Test
  void opBodiesSetRawValuesJsonNullAmongThemAndListDeletesApart() {
    Map<String, Json> values = new LinkedHashMap<>();
    values.put("a", new Json("{\"x\": [1.50, 2]}"));
    values.put("gone", null);
    values.put("empty", Json.NULL);
    values.put("s", new Json("\"\\u00e9\""));
    values.put("also gone", null);
    String body = OpCodec.body(new Change.Put(values));
    assertEquals("{\"set\":{\"a\":{\"x\": [1.50, 2]},\"empty\":null,\"s\":\"\\u00e9\"},"
        + "\"delete\":[\"gone\",\"also gone\"]}", body);
    assertEquals(OpCodec.PUT, OpCodec.kind(new Change.Put(values)));
    assertEquals(OpCodec.RESET, OpCodec.kind(new Change.Reset(values)));
    assertEquals(new Change.Put(values), OpCodec.change(OpCodec.PUT, body));
    assertEquals(new Change.Reset(values), OpCodec.change(OpCodec.RESET, body));
    assertEquals(List.of("a", "empty", "s", "gone", "also gone"),
        List.copyOf(OpCodec.values(body).keySet()), "sets in order, then deletes in order");
    assertEquals("{\"set\":{\"k\":null}}", OpCodec.body(Change.Put.of("k", Json.NULL)));
    assertEquals("{\"set\":{}}", OpCodec.body(new Change.Reset(Map.of())));
  }

  @Test
  void firstFormatBodiesAreReadAsTheyWereWrittenWithNullADelete() {
    String body = "{\"a\":1,\"gone\":null,\"s\":\"x\"}";
    Map<String, Json> values = new LinkedHashMap<>();
    values.put("a", new Json("1"));
    values.put("gone", null);
    values.put("s", new Json("\"x\""));
    assertEquals(new Change.Put(values), OpCodec.change(OpCodec.LEGACY_PUT, body));
    assertEquals(new Change.Reset(values), OpCodec.change(OpCodec.LEGACY_RESET, body));
    assertEquals(List.copyOf(values.keySet()), List.copyOf(OpCodec.legacyValues(body).keySet()));
  }

  @Test
  void aBodyOutOfShapeOrOfAnUnknownKindIsAnErrorNotAGuess() {
    for (String bad : List.of("[]", "{\"set\":[]}", "{\"set\":{},\"delete\":[1]}",
        "{\"set\":{},\"delete\":{}}", "{\"sets\":{}}", "{\"set\":{\"a\":}")) {
      assertThrows(IllegalStateException.class, () -> OpCodec.values(bad), bad);
    }
    assertThrows(IllegalStateException.class, () -> OpCodec.legacyValues("[1]"));
    assertThrows(IllegalStateException.class, () -> OpCodec.legacyValues("{\"a\":"));
    assertThrows(IllegalStateException.class, () -> OpCodec.change("patch", "{}"));
  }

  @Test
  void valuesAreSlicedExactlyAcrossTheParsersBufferBoundaries() {
    Map<String, Json> values = new LinkedHashMap<>();
    for (int i = 0; i < 2_000; i++) {
      values.put("key" + i, new Json(i % 3 == 0 ? "-12.5e3" : i % 3 == 1 ? "\"v" + i + "\""
          : "[true,false,{\"n\":" + i + "}]"));
    }
    assertEquals(values, OpCodec.values(OpCodec.body(new Change.Put(values))));
  }

  @Test
  void roomConfigRoundTrips() {
    RoomConfig config = RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY)
        .withRetention(5, Duration.ofMinutes(3)).withStore("svc");
    assertEquals(config, ConfigCodec.read(ConfigCodec.write(config)));
    assertEquals(RoomConfig.DEFAULT, ConfigCodec.read(ConfigCodec.write(RoomConfig.DEFAULT)));
  }

  @Test
  void missingConfigFieldsFallBackToDefaultsAndMillisAreDurations() {
    RoomConfig read = ConfigCodec.read("{\"policy\":\"FIRST_WRITER_WINS\",\"streamTtl\":60000}");
    assertEquals(RoomConfig.DEFAULT.withPolicy(ConflictPolicy.FIRST_WRITER_WINS)
        .withStream(Duration.ofMinutes(1), RoomConfig.DEFAULT.streamLimit()), read);
    assertEquals(RoomConfig.DEFAULT, ConfigCodec.read("{}"));
  }

  @Test
  void anEntrysPlaceChangesOnlyWhenATombstoneTakesAValue() {
    List<String> columns = List.of("room", "key_name", "value", "place");
    assertEquals("INSERT INTO t (room, key_name, value, place) VALUES (?, ?, ?, ?)"
            + " ON DUPLICATE KEY UPDATE place = CASE WHEN value IS NULL AND VALUES(value) IS NOT NULL"
            + " THEN VALUES(place) ELSE place END, value = VALUES(value)",
        Dialect.MARIADB.upsert("t", List.of("room", "key_name"), columns, List.of("place")));
    assertEquals("INSERT INTO t (room, key_name, value, place) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (room, key_name) DO UPDATE SET place = CASE WHEN t.value IS NULL"
            + " AND excluded.value IS NOT NULL THEN excluded.place ELSE t.place END,"
            + " value = excluded.value",
        Dialect.POSTGRESQL.upsert("t", List.of("room", "key_name"), columns, List.of("place")));
  }

  @Test
  void upsertsFollowTheDialect() {
    List<String> columns = List.of("room", "key_name", "value");
    assertEquals("INSERT INTO t (room, key_name, value) VALUES (?, ?, ?)"
            + " ON DUPLICATE KEY UPDATE value = VALUES(value)",
        Dialect.MARIADB.upsert("t", List.of("room", "key_name"), columns));
    assertEquals("INSERT INTO t (room, key_name, value) VALUES (?, ?, ?)"
            + " ON CONFLICT (room, key_name) DO UPDATE SET value = excluded.value",
        Dialect.POSTGRESQL.upsert("t", List.of("room", "key_name"), columns));
    assertEquals("jdbc:mariadb://h/db", Dialect.driverUrl("jdbc:mysql://h/db"));
  }
}
