package dev.livestate.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
  void opBodiesHoldRawValuesAndNullForDeletes() {
    Map<String, Json> values = new LinkedHashMap<>();
    values.put("a", new Json("{\"x\": [1.50, 2]}"));
    values.put("gone", null);
    values.put("s", new Json("\"\\u00e9\""));
    String body = OpCodec.body(new Change.Put(values));
    assertEquals("{\"a\":{\"x\": [1.50, 2]},\"gone\":null,\"s\":\"\\u00e9\"}", body);
    assertEquals(new Change.Put(values), OpCodec.change(OpCodec.PUT, body));
    assertEquals(new Change.Reset(values), OpCodec.change(OpCodec.RESET, body));
    assertEquals(List.copyOf(values.keySet()), List.copyOf(OpCodec.values(body).keySet()));
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
