package dev.livestate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.engine.Origin;
import dev.livestate.engine.RoomEvent;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.stream.StreamMessage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's messages on their own: what goes on the wire, byte for byte. */
class ServerMessagesTest {

  private static String text(byte[] utf8) {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  @Test
  void anEventWritesStoredValuesAsTheyAre() {
    Op op = new Op(4, "alice", 1, 0, 0, new Change.Put(Map.of("n", new Json("1.10"))));
    RoomEvent relayed = new RoomEvent.Relayed("r", "alice", Origin.LOCAL, List.of(op));
    assertEquals("{\"type\":\"ops\",\"room\":\"r\",\"ops\":[{\"seq\":4,\"writer\":\"alice\","
        + "\"set\":{\"n\":1.10}}]}", text(ServerMessages.EVENT.apply(relayed)));
  }

  @Test
  void anEventWritesJsonNullInSetAndDeletedKeysApartSoItIsNeverAmbiguous() {
    Map<String, Json> values = new LinkedHashMap<>();
    values.put("gone", null);
    values.put("empty", Json.NULL);
    values.put("n", new Json("2"));
    Op put = new Op(5, "bob", 1, 0, 0, new Change.Put(values));
    Op deleteOnly = new Op(6, "bob", 2, 0, 0, Change.Put.of("n", null));
    Op reset = new Op(7, "bob", 3, 0, 0, new Change.Reset(values));
    RoomEvent relayed = new RoomEvent.Relayed("r", "bob", Origin.LOCAL,
        List.of(put, deleteOnly, reset));
    assertEquals("{\"type\":\"ops\",\"room\":\"r\",\"ops\":["
        + "{\"seq\":5,\"writer\":\"bob\",\"set\":{\"empty\":null,\"n\":2},\"delete\":[\"gone\"]},"
        + "{\"seq\":6,\"writer\":\"bob\",\"set\":{},\"delete\":[\"n\"]},"
        + "{\"seq\":7,\"writer\":\"bob\",\"reset\":{\"empty\":null,\"n\":2}}]}",
        text(ServerMessages.EVENT.apply(relayed)));
  }

  @Test
  void aReplyEchoesANumberOrAStringId() {
    assertEquals("{\"type\":\"pong\",\"id\":3}", text(ServerMessages.pong(3L)));
    assertEquals("{\"type\":\"pong\",\"id\":\"a\"}", text(ServerMessages.pong("a")));
    assertEquals("{\"type\":\"pong\"}", text(ServerMessages.pong(null)));
  }

  @Test
  void anErrorCarriesItsCodeAndTheRoomItConcerns() {
    assertEquals("{\"type\":\"error\",\"id\":2,\"code\":\"not_joined\","
        + "\"message\":\"join room r first\",\"room\":\"r\"}",
        text(ServerMessages.error(2L, ErrorCode.NOT_JOINED, "join room r first", "r")));
  }

  @Test
  void historyListsMessagesWithTheirBodiesAsStored() {
    StreamMessage m = new StreamMessage(9, 1000, 2000, new Json("{\"level\": \"info\"}"));
    assertEquals("{\"type\":\"history\",\"id\":1,\"room\":\"r\",\"messages\":"
        + "[{\"id\":9,\"time\":1000,\"body\":{\"level\": \"info\"}}]}",
        text(ServerMessages.history(1L, "r", List.of(m))));
  }
}
