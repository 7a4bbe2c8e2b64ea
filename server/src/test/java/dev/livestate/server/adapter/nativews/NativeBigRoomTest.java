package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A room larger than what a connection may have queued ({@code limits.max-queued}, 16 MiB by
 * default) can be joined: 24 values of 1 MB come as a joined reply and parts, each well within
 * the cap, and the client ends with the same state it would have got in one message. Events
 * that happen meanwhile come after the last part, without a gap.
 */
class NativeBigRoomTest {
  private static final int VALUES = 24;
  private static final String MEGABYTE = "v".repeat(1_000_000);
  private static TestServer server;
  private static NativeClient writer;

  @BeforeAll
  static void fillARoom() throws Exception {
    server = TestServer.start(Map.of());
    writer = NativeClient.connect(server.ws("/ws"), "writer");
    writer.join("big", Map.of("create", true));
    for (int i = 0; i < VALUES; i++) {
      assertEquals(i + 1, writer.set("big", "k" + i, MEGABYTE + i).at("/acks/0/seq").asLong());
    }
  }

  @AfterAll
  static void stop() {
    writer.close();
    server.close();
  }

  /** The joined reply and every part after it, up to the one without more. */
  private static List<JsonNode> joinInParts(NativeClient c, Map<String, Object> join) {
    List<JsonNode> messages = new ArrayList<>();
    messages.add(c.request(join));
    // from the reply on: a part may have come already, before the reply was taken
    int from = c.ws.messages().indexOf(messages.get(0)) + 1;
    while (messages.get(messages.size() - 1).path("more").asBoolean(false)) {
      JsonNode part = c.ws.awaitFrom(from, n -> n.path("more").isBoolean() && !n.has("id"));
      from = c.ws.messages().indexOf(part) + 1;
      messages.add(part);
    }
    return messages;
  }

  @Test
  void aSnapshotLargerThanTheCapComesInPartsAndAddsUpToTheState() throws Exception {
    try (NativeClient reader = NativeClient.connect(server.ws("/ws"), "reader")) {
      List<JsonNode> messages = joinInParts(reader,
          Map.of("type", "join", "room", "big", "role", "reader"));

      assertTrue(messages.size() > 2, "in parts: " + messages.size());
      assertEquals("joined", messages.get(0).get("type").asText());
      assertEquals(VALUES, messages.get(0).get("seq").asLong());
      Map<String, String> state = new LinkedHashMap<>();
      for (JsonNode m : messages) {
        assertTrue(m.toString().length() < 8_000_000, "each part is well within the cap");
        if (m != messages.get(0)) {
          assertEquals("snapshot-part", m.get("type").asText());
        }
        m.get("snapshot").fields().forEachRemaining(e -> state.put(e.getKey(),
            e.getValue().asText()));
      }
      assertFalse(messages.get(messages.size() - 1).get("more").asBoolean());
      assertEquals(VALUES, state.size());
      for (int i = 0; i < VALUES; i++) {
        assertEquals(MEGABYTE + i, state.get("k" + i));
      }
      assertEquals("pong", reader.request(Map.of("type", "ping")).get("type").asText(),
          "the connection stayed open");
    }
  }

  @Test
  void aCatchUpFromTheStartComesInPartsAndEventsMeanwhileComeAfterIt() throws Exception {
    try (NativeClient reader = NativeClient.connect(server.ws("/ws"), "catching-up")) {
      String epoch = writer.epoch;
      long id = reader.post(Map.of("type", "join", "room", "big", "role", "reader",
          "since", Map.of("epoch", epoch, "seq", 0)));
      JsonNode event = writer.set("big", "during", "the catch-up");
      long duringSeq = event.at("/acks/0/seq").asLong();

      JsonNode joined = reader.ws.await(n -> n.path("id").asLong(-1) == id);
      assertTrue(joined.get("more").asBoolean(), joined.get("type").asText());
      List<Long> seqs = new ArrayList<>();
      joined.get("ops").forEach(op -> seqs.add(op.get("seq").asLong()));
      int from = reader.ws.messages().indexOf(joined) + 1;
      boolean more = true;
      while (seqs.size() < duringSeq) {
        JsonNode ops = reader.ws.awaitFrom(from, n -> n.path("type").asText().equals("ops"));
        from = reader.ws.messages().indexOf(ops) + 1;
        if (more) {
          more = ops.path("more").asBoolean(false);
        } else {
          assertFalse(ops.has("more"), "a relayed op after the catch-up");
        }
        ops.get("ops").forEach(op -> seqs.add(op.get("seq").asLong()));
      }

      List<Long> expected = new ArrayList<>();
      for (long s = 1; s <= duringSeq; s++) {
        expected.add(s);
      }
      assertEquals(expected, seqs, "every op once, in order, the live one after the catch-up");
    }
  }
}
