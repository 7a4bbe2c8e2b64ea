package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.http.Http;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/protocol.md, "Idempotent": a refused change resent under the same (clientId, localSeq) gets
 * the original refusal, even once its cause is gone; only a new localSeq is decided again.
 */
class NativeRefusalResendTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static NativeClient client(String id) throws Exception {
    return NativeClient.connect(server.ws("/ws"), id);
  }

  /** Submits one change setting key to value under the given localSeq. */
  static JsonNode submit(NativeClient c, String room, long localSeq, String key, Object value) {
    return c.submit(room, List.of(Map.of("localSeq", localSeq, "baseSeq", 0,
        "set", Map.of(key, value))));
  }

  static long seqOf(String room) throws Exception {
    return Http.getJson(server.http("/api/rooms/" + room)).get("seq").asLong();
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

  @Test
  void aReadersRefusalIsRepeatedToAResendAfterItJoinsAgainAsAWriter() throws Exception {
    String room = "resend-reader";
    try (NativeClient dave = client("dave")) {
      dave.join(room, Map.of("role", "reader", "create", true));
      JsonNode first = submit(dave, room, 5, "k", "dave");
      assertEquals("forbidden", first.at("/rejects/0/code").asText(), first.toString());
      assertEquals(5, first.at("/rejects/0/localSeq").asLong(), first.toString());

      dave.request(Map.of("type", "leave", "room", room));
      assertEquals("joined", dave.join(room, Map.of("role", "writer")).get("type").asText());
      JsonNode resent = submit(dave, room, 5, "k", "dave");
      assertEquals(first.get("rejects"), resent.get("rejects"), "the original refusal");
      assertEquals(0, seqOf(room));
      assertEquals(1, submit(dave, room, 6, "k", "dave").at("/acks/0/seq").asLong());
    }
  }
}
