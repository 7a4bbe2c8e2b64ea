package dev.livestate.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.engine.Joined;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.Position;
import dev.livestate.sync.CatchUp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A joined reply cut into parts: what each message holds, on its own, without sockets. */
class JoinedPartsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Position HEAD = new Position("e", 9);

  private static Joined joined(CatchUp c) {
    return new Joined(c, null, Map.of(), false);
  }

  private static List<JsonNode> read(List<Supplier<byte[]>> parts) throws Exception {
    List<JsonNode> messages = new ArrayList<>();
    for (Supplier<byte[]> p : parts) {
      messages.add(JSON.readTree(p.get()));
    }
    return messages;
  }

  /** Five values of 100 characters each. */
  private static Map<String, Json> values() {
    Map<String, Json> values = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      values.put("k" + i, new Json("\"" + "x".repeat(98) + "\""));
    }
    return values;
  }

  @Test
  void aCatchUpThatFitsIsThePlainJoinedReply() {
    Joined j = joined(new CatchUp.Snapshot(HEAD, values()));

    List<Supplier<byte[]>> parts = JoinedParts.of(7L, "r", j, 10_000);

    assertEquals(1, parts.size());
    assertArrayEquals(ServerMessages.joined(7L, "r", j), parts.get(0).get());
  }

  @Test
  void aLargerSnapshotComesAsTheJoinedReplyAndSnapshotPartsInItsOrder() throws Exception {
    List<JsonNode> messages = read(JoinedParts.of(7L, "r",
        joined(new CatchUp.Snapshot(HEAD, values())), 400));

    assertEquals(3, messages.size(), "two values a part: " + messages);
    assertEquals("joined", messages.get(0).get("type").asText());
    assertEquals(7, messages.get(0).get("id").asInt());
    assertEquals(9, messages.get(0).get("seq").asInt());
    assertEquals(List.of(true, true, false), messages.stream()
        .map(m -> m.get("more").asBoolean()).toList());
    List<String> keys = new ArrayList<>();
    for (JsonNode m : messages) {
      m.get("snapshot").fieldNames().forEachRemaining(keys::add);
    }
    assertEquals(List.of("k0", "k1", "k2", "k3", "k4"), keys);
    assertEquals("snapshot-part", messages.get(2).get("type").asText());
    assertEquals("r", messages.get(2).get("room").asText());
  }

  @Test
  void aValueLargerThanAPartGoesAlone() {
    assertEquals(5, JoinedParts.cut(values(), 1).size());
    assertEquals(1, JoinedParts.cut(Map.of(), 1).size(), "an empty snapshot is one part");
  }

  @Test
  void aLargerTailComesAsTheJoinedReplyAndOpsMessages() throws Exception {
    List<Op> ops = new ArrayList<>();
    values().forEach((k, v) -> ops.add(new Op(ops.size() + 5, "w", 1, 0, 0, Change.Put.of(k, v))));

    List<JsonNode> messages = read(JoinedParts.of(null, "r",
        joined(new CatchUp.Tail(HEAD, ops)), 250));

    assertEquals(5, messages.size());
    assertEquals("ops", messages.get(1).get("type").asText());
    assertEquals(false, messages.get(4).get("more").asBoolean());
    List<Integer> seqs = new ArrayList<>();
    messages.forEach(m -> m.get("ops").forEach(op -> seqs.add(op.get("seq").asInt())));
    assertEquals(List.of(5, 6, 7, 8, 9), seqs);
  }

  @Test
  void aResubmitIsOneMessage() {
    assertEquals(1, JoinedParts.of(1L, "r", joined(new CatchUp.Resubmit(HEAD)), 1).size());
  }
}
