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

/** The abuse limits on the native door: refused with rate_limited, the connection stays. */
class NativeQuotaTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of(
      "limits.changes-per-second", "20", "limits.joins-per-second", "4",
      "limits.room-creations-per-minute", "3"));

  @Test
  void aFloodingClientIsRateLimitedWhileAnotherKeepsWritingAndItsConnectionStays()
      throws Exception {
    try (NativeClient flood = NativeClient.connect(server.ws("/ws"), "flood");
        NativeClient calm = NativeClient.connect(server.ws("/ws"), "calm")) {
      // made by the server itself: the creation limit belongs to the other test
      server.server().engine().open("flooded", dev.livestate.room.RoomConfig.DEFAULT);
      flood.join("flooded", Map.of());
      calm.join("flooded", Map.of());
      List<Long> sent = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        sent.add(flood.post(Map.of("type", "submit", "room", "flooded",
            "changes", List.of(flood.change(Map.of("n", i))))));
      }
      int acked = 0;
      int limited = 0;
      for (long id : sent) {
        JsonNode answer = flood.ws.await(n -> n.path("id").asLong(-1) == id);
        if (answer.path("type").asText().equals("result")) {
          acked++;
        } else {
          assertEquals("rate_limited", answer.path("code").asText(), answer.toString());
          limited++;
        }
      }
      assertTrue(acked >= 40 && acked < 60, "a burst of twice the rate, then refusals: " + acked);
      assertEquals(60, acked + limited);
      assertEquals(1, calm.set("flooded", "calm", true).get("acks").size(),
          "another client in the same room is not limited");
      assertEquals("pong", flood.request(Map.of("type", "ping")).get("type").asText());
    }
  }

  @Test
  void joinsPastTheRateAndRoomsPastTheCreationLimitAreRefused() throws Exception {
    try (NativeClient c = NativeClient.connect(server.ws("/ws"), "joiner")) {
      List<String> codes = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        JsonNode j = c.join("made-" + i, Map.of("create", true));
        codes.add(j.path("type").asText().equals("joined") ? "joined" : j.path("code").asText());
      }
      assertEquals(List.of("joined", "joined", "joined", "rate_limited", "rate_limited"), codes,
          "three rooms a minute for this address");
      assertEquals(429, server.send("PUT", "/api/rooms/by-http").statusCode(),
          "the HTTP API counts the same client's creations");
      JsonNode more = null;
      for (int i = 0; i < 10; i++) {
        more = c.join("made-0-" + i, Map.of());
        if (more.path("code").asText().equals("rate_limited")) {
          break;
        }
      }
      assertEquals("rate_limited", more.path("code").asText(), "joins past twice the rate");
      assertEquals("pong", c.request(Map.of("type", "ping")).get("type").asText());
    }
  }
}
