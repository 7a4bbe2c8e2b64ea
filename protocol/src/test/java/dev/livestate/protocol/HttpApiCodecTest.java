package dev.livestate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Json;
import dev.livestate.room.Position;
import dev.livestate.room.RoomConfig;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.CatchUp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP API's bodies and answers on their own, without a server. */
class HttpApiCodecTest {
  private final HttpApiCodec codec = new HttpApiCodec(new ObjectMapper());

  @Test
  void aSnapshotWritesStoredValuesAsTheyAre() {
    Map<String, Json> values = new LinkedHashMap<>();
    values.put("title", new Json("\"Hello\""));
    values.put("n", new Json("1.10"));
    CatchUp.Snapshot s = new CatchUp.Snapshot(new Position("e1", 3), values);
    assertEquals("{\"room\":\"r\",\"epoch\":\"e1\",\"seq\":3,"
        + "\"state\":{\"title\":\"Hello\",\"n\":1.10}}", HttpApiCodec.snapshot("r", s));
  }

  @Test
  void streamMessagesHaveTheWebSocketsShape() {
    StreamMessage m = new StreamMessage(9, 1000, 2000, new Json("[1, 2]"));
    assertEquals("{\"id\":9,\"time\":1000,\"body\":[1, 2]}", HttpApiCodec.published(m));
    assertEquals("{\"room\":\"r\",\"messages\":[{\"id\":9,\"time\":1000,\"body\":[1, 2]}]}",
        HttpApiCodec.messages("r", List.of(m)));
  }

  @Test
  void anErrorIsItsCodeAndAMessage() {
    assertEquals("{\"error\":{\"code\":\"unknown_room\",\"message\":\"no room r\"}}",
        HttpApiCodec.error(ErrorCode.UNKNOWN_ROOM, "no room r"));
  }

  @Test
  void textBeyondTheBmpIsWrittenAsItIs() {
    String smile = "\uD83D\uDE00";
    assertEquals("{\"room\":\"" + smile + "\",\"created\":true}",
        HttpApiCodec.created(smile, true));
  }

  @Test
  void aPutWithoutBodyAsksForTheDefaultConfig() {
    assertEquals(RoomConfig.DEFAULT, codec.roomConfig(codec.body(null)));
    assertEquals(RoomConfig.DEFAULT, codec.roomConfig(codec.body("  ")));
    assertEquals(RoomConfig.DEFAULT, codec.roomConfig(codec.body("null")));
    assertEquals(ConflictPolicy.PRIORITY,
        codec.roomConfig(codec.body("{\"policy\":\"priority\"}")).policy());
  }

  @Test
  void aBadBodyIsInvalidJsonAndABadConfigABadRequest() {
    assertEquals(ErrorCode.INVALID_JSON,
        assertThrows(ProtocolException.class, () -> codec.body("{")).error());
    var notAConfig = codec.body("5");
    assertEquals(ErrorCode.BAD_REQUEST,
        assertThrows(ProtocolException.class, () -> codec.roomConfig(notAConfig)).error());
  }

  @Test
  void aPublishNeedsABodyAndKeepsItCompact() {
    assertEquals(ErrorCode.BAD_REQUEST,
        assertThrows(ProtocolException.class, () -> codec.messageBody("")).error());
    assertEquals(new Json("{\"a\":1}"), codec.messageBody("{ \"a\" : 1 }"));
  }

  @Test
  void healthIsOkWithTheRoomCountAndUptime() {
    assertEquals("{\"status\":\"ok\",\"rooms\":2,\"uptimeSeconds\":5}", HttpApiCodec.health(2, 5));
  }
}
