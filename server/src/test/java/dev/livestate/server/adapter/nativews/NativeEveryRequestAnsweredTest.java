package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every native request that carries an id gets exactly one reply with that id: its answer or an
 * error, whatever its numbers (ranges as wide as a long, times and durations that overflow,
 * negative positions). Requests the fuzzing campaign left unanswered, over a real WebSocket.
 */
class NativeEveryRequestAnsweredTest {
  private static final long MAX = Long.MAX_VALUE;
  private static final long MIN = Long.MIN_VALUE;

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("store", "memory"));

  /** Each request's JSON with the id left out ({@code %d}), and what it probes. */
  private static final List<String> REQUESTS = List.of(
      // history: ranges as wide as a long, reversed, negative
      "{\"type\":\"history\",\"id\":%d,\"room\":\"odd\"}",
      "{\"type\":\"history\",\"id\":%d,\"room\":\"odd\",\"from\":0,\"to\":" + MAX + "}",
      "{\"type\":\"history\",\"id\":%d,\"room\":\"odd\",\"from\":" + MIN + ",\"to\":" + MAX + "}",
      "{\"type\":\"history\",\"id\":%d,\"room\":\"odd\",\"from\":" + MAX + ",\"to\":" + MIN + "}",
      "{\"type\":\"history\",\"id\":%d,\"room\":\"odd\",\"from\":" + MAX + ",\"to\":" + MAX + "}",
      "{\"type\":\"history\",\"id\":%d,\"room\":\"odd\",\"from\":-1,\"to\":-1}",
      // publish: times at both ends of a long
      "{\"type\":\"publish\",\"id\":%d,\"room\":\"odd\",\"body\":1,\"time\":" + MAX + "}",
      "{\"type\":\"publish\",\"id\":%d,\"room\":\"odd\",\"body\":1,\"time\":" + MIN + "}",
      "{\"type\":\"publish\",\"id\":%d,\"room\":\"odd\",\"body\":1,\"time\":-1}",
      "{\"type\":\"history\",\"id\":%d,\"room\":\"odd\",\"from\":" + MIN + ",\"to\":" + MAX + "}",
      // submit: positions and local seqs at the ends of a long
      "{\"type\":\"submit\",\"id\":%d,\"room\":\"odd\",\"changes\":[{\"localSeq\":" + MAX
          + ",\"baseSeq\":" + MAX + ",\"set\":{\"a\":1}}]}",
      "{\"type\":\"submit\",\"id\":%d,\"room\":\"odd\",\"changes\":[{\"localSeq\":" + MIN
          + ",\"baseSeq\":" + MIN + ",\"set\":{\"a\":2}}]}",
      "{\"type\":\"submit\",\"id\":%d,\"room\":\"odd\",\"seenThrough\":" + MAX
          + ",\"changes\":[{\"localSeq\":5,\"baseSeq\":0,\"set\":{\"a\":3}}]}",
      "{\"type\":\"submit\",\"id\":%d,\"room\":\"odd\",\"seenThrough\":" + MIN
          + ",\"changes\":[{\"localSeq\":6,\"baseSeq\":-1,\"set\":{\"a\":4}}]}",
      // joins of new rooms whose durations and sizes overflow
      "{\"type\":\"join\",\"id\":%d,\"room\":\"ttl\",\"create\":{\"streamTtlSeconds\":" + MAX + "}}",
      "{\"type\":\"join\",\"id\":%d,\"room\":\"ttl-neg\",\"create\":{\"streamTtlSeconds\":" + MIN
          + "}}",
      "{\"type\":\"join\",\"id\":%d,\"room\":\"presence\",\"create\":{\"presenceTimeoutSeconds\":"
          + MAX + "}}",
      "{\"type\":\"join\",\"id\":%d,\"room\":\"retain\",\"create\":{\"retainOps\":" + MAX
          + ",\"retainBytes\":" + MAX + "}}",
      "{\"type\":\"join\",\"id\":%d,\"room\":\"retain-neg\",\"create\":{\"retainOps\":" + MIN
          + ",\"retainBytes\":" + MIN + "}}",
      "{\"type\":\"join\",\"id\":%d,\"room\":\"prio\",\"priority\":" + MAX + ",\"create\":{}}",
      // a join from a position far past, or before, anything the room issued
      "{\"type\":\"leave\",\"id\":%d,\"room\":\"odd\"}",
      "{\"type\":\"join\",\"id\":%d,\"room\":\"odd\",\"since\":{\"epoch\":\"x\",\"seq\":" + MAX
          + "}}",
      "{\"type\":\"leave\",\"id\":%d,\"room\":\"odd\"}",
      "{\"type\":\"join\",\"id\":%d,\"room\":\"odd\",\"since\":{\"epoch\":\"x\",\"seq\":" + MIN
          + "}}",
      "{\"type\":\"presence\",\"id\":%d,\"room\":\"odd\",\"data\":{\"n\":1e400}}",
      // the id can be read, though not the whole request
      "{\"type\":\"publish\",\"id\":%d,\"room\":\"odd\",\"body\":1e999999999}",
      "{\"type\":\"publish\",\"id\":%d,\"room\":\"odd\",\"body\":" + "[".repeat(100)
          + "]".repeat(100) + "}",
      "{\"id\":%d,\"type\":\"ping\"",
      "{\"type\":\"ping\",\"id\":%d}");

  @Test
  void everyRequestWithAnIdGetsExactlyOneReply() throws Exception {
    try (NativeClient c = NativeClient.connect(server.ws("/ws"), "odd-numbers")) {
      assertEquals("joined", c.join("odd", Map.of("create", Map.of())).path("type").asText());
      c.set("odd", "a", 0);
      List<String> unanswered = new ArrayList<>();
      long id = 1000;
      for (String template : REQUESTS) {
        long asked = ++id;
        c.ws.send(String.format(template, asked));
        try {
          c.ws.await(m -> m.path("id").asLong(-1) == asked, 5_000);
        } catch (AssertionError e) {
          unanswered.add(String.format(template, asked));
        }
      }
      assertEquals(List.of(), unanswered, "requests without a reply");
      assertTrue(c.ws.isOpen(), "the connection stays");
      for (long asked = 1001; asked <= id; asked++) {
        long wanted = asked;
        List<JsonNode> replies = c.ws.messages().stream()
            .filter(m -> m.path("id").asLong(-1) == wanted).toList();
        assertEquals(1, replies.size(), "replies to request " + wanted + ": " + replies);
      }
    }
  }
}
