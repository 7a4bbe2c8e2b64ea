package dev.livestate.server.adapter.userstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.engine.RoomEvent;
import dev.livestate.op.Json;
import dev.livestate.stream.StreamMessage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The userstatus codec without sockets. */
class StatusCodecTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static StatusMessage parse(String body) throws Exception {
    return StatusCodec.newLog(JSON.readTree(body), 1_700_000_123_456L);
  }

  @Test
  void aFullMessageKeepsWholeSecondsAndMillisecondOrder() throws Exception {
    StatusMessage m = parse("{\"site\":\"tst\",\"log_message\":\"hi\",\"log_level\":\"critical\",\"timestamp\":1604514063.987}");
    assertEquals(new StatusMessage("tst", "hi", "critical", 1604514063L, 1604514063987L), m);
    assertEquals("{\"site\":\"tst\",\"message\":\"hi\",\"log_level\":\"critical\",\"timestamp\":1604514063}",
        StatusCodec.body(m).text());
  }

  @Test
  void defaultsAreInfoAndTheServerTime() throws Exception {
    assertEquals(new StatusMessage("tst", "", "info", 1_700_000_123L, 1_700_000_123_456L),
        parse("{\"site\":\"tst\",\"log_message\":\"\",\"log_level\":null}"));
  }

  @Test
  void eachBadFieldIsNamed() {
    assertEquals("site", assertThrows(StatusError.class, () -> parse("{\"log_message\":\"x\"}")).field());
    assertEquals("log_message", assertThrows(StatusError.class, () -> parse("{\"site\":\"s\"}")).field());
    assertEquals("log_level", assertThrows(StatusError.class,
        () -> parse("{\"site\":\"s\",\"log_message\":\"x\",\"log_level\":\"INFO\"}")).field());
    assertEquals("timestamp", assertThrows(StatusError.class,
        () -> parse("{\"site\":\"s\",\"log_message\":\"x\",\"timestamp\":\"now\"}")).field());
    assertEquals("timestamp", assertThrows(StatusError.class,
        () -> parse("{\"site\":\"s\",\"log_message\":\"x\",\"timestamp\":1e12}")).field());
    assertEquals("after_time", assertThrows(StatusError.class, () -> StatusCodec.afterTime("x")).field());
    assertEquals("after_time", assertThrows(StatusError.class, () -> StatusCodec.afterTime(null)).field());
  }

  @Test
  void recentLogsAreStrictlyAfterAndForeignBodiesAreMapped() {
    List<StreamMessage> stream = List.of(
        new StreamMessage(1, 100_000, Long.MAX_VALUE, new Json("{\"site\":\"s\",\"message\":\"at 100\",\"log_level\":\"error\",\"timestamp\":100}")),
        new StreamMessage(2, 101_500, Long.MAX_VALUE, new Json("\"plain\"")),
        new StreamMessage(3, 102_000, Long.MAX_VALUE, new Json("{\"log_message\":\"old name\",\"log_level\":\"bogus\"}")),
        new StreamMessage(4, 103_000, Long.MAX_VALUE, new Json("[1,2]")));
    assertEquals("[{\"message\":\"plain\",\"log_level\":\"info\",\"timestamp\":101},"
        + "{\"message\":\"old name\",\"log_level\":\"info\",\"timestamp\":102},"
        + "{\"message\":\"[1,2]\",\"log_level\":\"info\",\"timestamp\":103}]",
        new String(StatusCodec.recent("s", stream, new BigDecimal("100")), StandardCharsets.UTF_8));
    assertEquals(101_000L, StatusCodec.fromMillis(new BigDecimal("100")));
    assertEquals(100_000L, StatusCodec.fromMillis(new BigDecimal("99.5")));
  }

  @Test
  void thePushCarriesTheTimestampAsAString() {
    StreamMessage m = new StreamMessage(1, 1604514063000L, Long.MAX_VALUE,
        new Json("{\"site\":\"tst\",\"message\":\"m\",\"log_level\":\"warning\",\"timestamp\":1604514063}"));
    byte[] push = StatusCodec.PUSH.apply(new RoomEvent.Published("userstatus:tst", m));
    assertEquals("{\"site\":\"tst\",\"message\":\"m\",\"log_level\":\"warning\",\"timestamp\":\"1604514063\"}",
        new String(push, StandardCharsets.UTF_8));
  }

  @Test
  void aBodyWithALoneSurrogateIsRefusedWithoutAField() throws Exception {
    StatusError e = assertThrows(StatusError.class, () -> StatusCodec.wellFormed(
        JSON.readTree("{\"site\":\"s\",\"log_message\":\"\\ud800\"}")));
    assertNull(e.field());
    assertTrue(e.getMessage().contains("/log_message"), e.getMessage());
  }
}
