package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.http.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each field of a room's config reaches the room, shown by what it does. takeover,
 * presenceTimeoutSeconds and streamTtlSeconds are shown in the leadership, presence and stream
 * tests.
 */
class NativeRoomConfigTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static JsonNode joinSince(NativeClient c, String room, String epoch, long seq) {
    return c.request(Map.of("type", "join", "room", room, "role", "reader",
        "since", Map.of("epoch", epoch, "seq", seq)));
  }

  static JsonNode listed(TestServer server, String room) throws Exception {
    for (JsonNode r : Http.getJson(server.http("/api/rooms")).get("rooms")) {
      if (r.get("name").asText().equals(room)) {
        return r;
      }
    }
    throw new AssertionError("no room " + room);
  }

  @Test
  void policyFirstWriterWinsKeepsTheFirstValue() throws Exception {
    try (NativeClient a = NativeClient.connect(server.ws("/ws"), "a");
        NativeClient b = NativeClient.connect(server.ws("/ws"), "b")) {
      a.join("fww", Map.of("create", Map.of("policy", "first-writer-wins")));
      b.join("fww", Map.of());
      assertEquals("first-writer-wins", listed(server, "fww").get("policy").asText());
      a.set("fww", "k", "first");
      JsonNode lost = b.set("fww", "k", "second"); // b had not seen a's write
      assertEquals("conflict", lost.at("/rejects/0/code").asText(), lost.toString());
    }
  }

  @Test
  void aDurableRoomIsRecoveredAfterARestartAndANonDurableOneIsNot() throws Exception {
    Path dir = Files.createTempDirectory("livestate-durable-config");
    Map<String, String> settings = Map.of("data-dir", dir.toString());
    try (TestServer first = TestServer.start(settings);
        NativeClient c = NativeClient.connect(first.ws("/ws"), "c")) {
      c.join("kept", Map.of("create", Map.of("durable", true)));
      c.join("fleeting", Map.of("create", Map.of("durable", false)));
      assertEquals(1, c.set("kept", "k", "v").get("acks").size());
      assertEquals(1, c.set("fleeting", "k", "v").get("acks").size());
      assertFalse(listed(first, "fleeting").get("durable").asBoolean());
      assertTrue(listed(first, "kept").get("durable").asBoolean());
    }
    try (TestServer second = TestServer.start(settings);
        NativeClient c = NativeClient.connect(second.ws("/ws"), "c")) {
      JsonNode kept = c.join("kept", Map.of());
      assertEquals("v", kept.at("/snapshot/k").asText(), kept.toString());
      assertEquals("unknown_room", c.join("fleeting", Map.of()).get("code").asText());
    }
  }

  @Test
  void retainOpsTwoAnswersAnOlderCatchUpWithASnapshot() throws Exception {
    try (NativeClient w = NativeClient.connect(server.ws("/ws"), "w")) {
      String epoch = w.join("short-memory", Map.of("create", Map.of("retainOps", 2)))
          .get("epoch").asText();
      for (int i = 1; i <= 5; i++) {
        w.set("short-memory", "k" + i, i);
      }
      try (NativeClient recent = NativeClient.connect(server.ws("/ws"), "recent");
          NativeClient old = NativeClient.connect(server.ws("/ws"), "old")) {
        JsonNode tail = joinSince(recent, "short-memory", epoch, 3);
        assertEquals(2, tail.get("ops").size(), "ops 4 and 5 are kept: " + tail);
        JsonNode snapshot = joinSince(old, "short-memory", epoch, 2);
        assertFalse(snapshot.has("ops"), "op 3 is gone: " + snapshot);
        assertEquals(5, snapshot.get("snapshot").size());
        assertEquals(5, snapshot.get("seq").asLong());
      }
    }
  }

  @Test
  void retainSecondsAnswersACatchUpPastThatAgeWithASnapshot() throws Exception {
    try (NativeClient w = NativeClient.connect(server.ws("/ws"), "w")) {
      String brief = w.join("brief", Map.of("create", Map.of("retainSeconds", 1)))
          .get("epoch").asText();
      String lasting = w.join("lasting", Map.of("create", Map.of("retainSeconds", 0)))
          .get("epoch").asText();
      w.set("brief", "k", 1);
      w.set("lasting", "k", 1);
      long deadline = System.currentTimeMillis() + 5_000;
      for (int i = 0;; i++) {
        try (NativeClient r = NativeClient.connect(server.ws("/ws"), "r" + i)) {
          if (joinSince(r, "brief", brief, 0).has("snapshot")) {
            break;
          }
        }
        assertTrue(System.currentTimeMillis() < deadline, "op 1 stayed retained past 1 s");
        Thread.sleep(100);
      }
      try (NativeClient r = NativeClient.connect(server.ws("/ws"), "r")) {
        assertEquals(1, joinSince(r, "lasting", lasting, 0).get("ops").size(),
            "retainSeconds 0 keeps ops regardless of age");
      }
    }
  }

  @Test
  void writeAccessLeaderOnlyRejectsWritesFromAnyoneButTheLeader() throws Exception {
    try (NativeClient lead = NativeClient.connect(server.ws("/ws"), "lead");
        NativeClient other = NativeClient.connect(server.ws("/ws"), "other")) {
      lead.join("guarded", Map.of("create", Map.of("writeAccess", "leader-only")));
      other.join("guarded", Map.of());
      other.join("open", Map.of("create", Map.of("writeAccess", "writers")));
      JsonNode leaderless = lead.set("guarded", "k", 0);
      assertEquals("not_leader", leaderless.at("/rejects/0/code").asText(),
          "no leader yet: nobody writes " + leaderless);
      assertEquals(1, other.set("open", "k", 0).get("acks").size(), "writers may write without a leader");

      assertTrue(lead.request(Map.of("type", "lead", "room", "guarded")).get("granted").asBoolean());
      assertEquals(1, lead.set("guarded", "k", 1).get("acks").size());
      JsonNode refused = other.set("guarded", "k", 2);
      assertEquals("not_leader", refused.at("/rejects/0/code").asText(), refused.toString());
      assertEquals(other.localSeq, refused.at("/rejects/0/localSeq").asLong());
    }
  }
}
