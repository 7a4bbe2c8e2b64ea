package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md, "Idempotent": a refused change resent under the same (clientId, localSeq) gets
 * the original refusal, even once its cause is gone; only a new localSeq is decided again.
 */
class NativeRefusalResendTest {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static NativeClient client(String id) throws Exception {
    return NativeClient.connect(server.ws("/ws"), id);
  }

  /** Submits one change setting key to value under the given localSeq. */
  static JsonNode submit(NativeClient c, String room, long localSeq, String key, Object value) {
    return c.submit(room, List.of(Map.of("localSeq", localSeq, "baseSeq", 0,
        "set", Map.of(key, value))));
  }

  static long seqOf(String room) throws Exception {
    return NativeClientJson.http(server.http("/api/rooms/" + room)).get("seq").asLong();
  }

  @Test
  void aNotLeaderRefusalIsRepeatedToAResendAfterTheLeaderLeft() throws Exception {
    String room = "resend-not-leader";
    try (NativeClient alice = client("alice"); NativeClient bob = client("bob")) {
      alice.join(room, Map.of("role", "leader", "create", true));
      bob.join(room, Map.of());
      JsonNode first = submit(bob, room, 7, "k", "bob");
      assertEquals("not_leader", first.at("/rejects/0/code").asText(), first.toString());
      assertEquals(7, first.at("/rejects/0/localSeq").asLong(), first.toString());

      alice.request(Map.of("type", "unlead", "room", room));
      JsonNode resent = submit(bob, room, 7, "k", "bob");
      assertEquals(0, resent.get("acks").size(), "not applied on a resend: " + resent);
      assertEquals(first.get("rejects"), resent.get("rejects"), "the original refusal");
      assertEquals(0, seqOf(room));

      JsonNode fresh = submit(bob, room, 8, "k", "bob");
      assertEquals(1, fresh.at("/acks/0/seq").asLong(), "a new localSeq is decided anew: " + fresh);
    }
  }

  @Test
  void aLeaderOnlyRefusalIsRepeatedToAResendAfterTheWriterBecameLeader() throws Exception {
    String room = "resend-leader-only";
    try (NativeClient carol = client("carol")) {
      carol.join(room, Map.of("create", Map.of("writeAccess", "leader-only")));
      JsonNode first = submit(carol, room, 3, "k", "carol");
      assertEquals("not_leader", first.at("/rejects/0/code").asText(), first.toString());

      assertEquals(true, carol.request(Map.of("type", "lead", "room", room)).get("granted")
          .asBoolean());
      JsonNode resent = submit(carol, room, 3, "k", "carol");
      assertEquals(first.get("rejects"), resent.get("rejects"), "the original refusal");
      assertEquals(0, seqOf(room));
      assertEquals(1, submit(carol, room, 4, "k", "carol").at("/acks/0/seq").asLong());
    }
  }
}
