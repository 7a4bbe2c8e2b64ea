package dev.livestate.server.adapter.sharedstate;

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
 * Every shared-state request that carries a tunnel gets exactly one REPLY on it, its answer or
 * {@code ok: false}, whatever its numbers, ids and shapes: requests of the kinds the fuzzing
 * campaign left unanswered, over a real WebSocket.
 */
class SharedStateEveryRequestAnsweredTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("store", "memory"));

  /** Each request's JSON with its tunnel left out ({@code %d}). */
  private static final List<String> REQUESTS = List.of(
      "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/\",\"tunnel\":%d}",
      "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/odd/items/c\",\"tunnel\":%d}",
      "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/odd/items/c\",\"tunnel\":%d,"
          + "\"arg\":{\"insert\":[{\"id\":\"a\",\"n\":9223372036854775807}]}}",
      "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/odd/items/c\",\"tunnel\":%d,"
          + "\"arg\":{\"insert\":[{\"id\":\"b\",\"n\":1e308,\"m\":-1e-400}]}}",
      "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/odd/items/c\",\"tunnel\":%d,"
          + "\"arg\":{\"insert\":[{\"id\":\"\"}]}}",
      "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/odd/items/c\",\"tunnel\":%d,"
          + "\"arg\":{\"remove\":[\"a\",\"missing\"],\"insert\":[{\"id\":\"a\"}],\"reset\":false}}",
      "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/odd/items/c\",\"tunnel\":%d,"
          + "\"arg\":{\"reset\":true}}",
      "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/odd/items/c\",\"tunnel\":%d,"
          + "\"arg\":{\"insert\":[{\"id\":\"x\"},{\"id\":\"x\"}],\"remove\":[\"x\"]}}",
      "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/odd/items/c\",\"tunnel\":%d,"
          + "\"arg\":{}}",
      "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/subs\",\"tunnel\":%d,"
          + "\"arg\":{\"insert\":[[\"/odd/items/c\",{\"depth\":9223372036854775807}]]}}",
      "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/subs\",\"tunnel\":%d,"
          + "\"arg\":{\"insert\":[[\"/odd/items/c\",null],[\"/odd/items/c\",{}]]}}",
      "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/subs\",\"tunnel\":%d,"
          + "\"arg\":{\"insert\":[]}}",
      "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/subs\",\"tunnel\":%d}",
      "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/clock\",\"tunnel\":%d}",
      "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/nope/items/c\",\"tunnel\":%d}",
      "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/odd/items\",\"tunnel\":%d}",
      "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/odd/items/c/d\",\"tunnel\":%d}",
      "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"\",\"tunnel\":%d}",
      "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/odd/items/c\",\"arg\":9e999,\"tunnel\":%d}",
      "{\"type\":\"REQUEST\",\"cmd\":\"DELETE\",\"path\":\"/odd/items/c\",\"tunnel\":%d}",
      "{\"type\":\"REPLY\",\"cmd\":\"GET\",\"path\":\"/odd/items/c\",\"tunnel\":%d}",
      // the tunnel can be read, though not the whole request
      "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/odd/items/c\",\"tunnel\":%d,"
          + "\"arg\":{\"insert\":[{\"id\":\"big\",\"n\":1e999999999}]}}",
      "{\"type\":\"REQUEST\",\"cmd\":\"PUT\",\"path\":\"/odd/items/c\",\"tunnel\":%d,"
          + "\"arg\":{\"insert\":[{\"id\":\"deep\",\"n\":" + "[".repeat(100)
          + "]".repeat(100) + "}]}}",
      "{\"tunnel\":%d,\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/odd/items/c\"",
      "{\"type\":\"REQUEST\",\"cmd\":\"GET\",\"path\":\"/odd/items/c\",\"tunnel\":%d}");

  @Test
  void everyRequestWithATunnelGetsExactlyOneReply() throws Exception {
    try (SharedStateClient c = SharedStateClient.connect(server)) {
      List<String> unanswered = new ArrayList<>();
      int tunnel = 5000;
      for (String template : REQUESTS) {
        int asked = ++tunnel;
        c.sendText(String.format(template, asked));
        try {
          c.ws.await(m -> "REPLY".equals(m.path("type").asText())
              && m.path("tunnel").asInt() == asked, 5_000);
        } catch (AssertionError e) {
          unanswered.add(String.format(template, asked));
        }
      }
      assertEquals(List.of(), unanswered, "requests without a reply");
      assertTrue(!c.isClosed(), "the connection stays");
      for (int asked = 5001; asked <= tunnel; asked++) {
        int wanted = asked;
        List<JsonNode> replies = c.received().stream()
            .filter(m -> "REPLY".equals(m.path("type").asText())
                && m.path("tunnel").asInt() == wanted).toList();
        assertEquals(1, replies.size(), "replies on tunnel " + wanted + ": " + replies);
      }
    }
  }
}
