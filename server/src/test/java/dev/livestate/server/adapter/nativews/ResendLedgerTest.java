package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.ChildServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A resend is never applied twice, across crashes and whatever history the room keeps: the
 * resend ledger is stored with the ops, apart from them. The server is a child process killed
 * with SIGKILL between the original and the resend; its room keeps only five ops for catch-up.
 */
class ResendLedgerTest {

  /** Resends {@code localSeq} setting {@code key}; the answer to it. */
  private static JsonNode resend(NativeClient c, long localSeq, String key) {
    return c.submit("small", List.of(Map.of("localSeq", localSeq, "baseSeq", 0,
        "set", Map.of(key, "resent"))));
  }

  private static NativeClient rejoined(ChildServer server, String clientId) throws Exception {
    NativeClient c = NativeClient.connect(server.ws(), clientId);
    assertEquals("joined", c.join("small", Map.of()).get("type").asText());
    return c;
  }

  @Test
  void resendsAfterAKillGetTheirOriginalAnswersAndConfirmedOnesAreRefusedAsForgotten()
      throws Exception {
    Path data = Files.createTempDirectory("livestate-ledger");
    ChildServer first = ChildServer.start(data);
    try (NativeClient writer = NativeClient.connect(first.ws(), "writer");
        NativeClient leader = NativeClient.connect(first.ws(), "leader")) {
      writer.join("small", Map.of("create", Map.of("retainOps", 5)));
      for (int i = 1; i <= 20; i++) {
        assertEquals(i, writer.set("small", "k" + i, "v" + i).at("/acks/0/seq").asLong());
      }
      leader.join("small", Map.of("role", "leader"));
      assertEquals("not_leader", writer.set("small", "k21", "v21").at("/rejects/0/code").asText());
    } finally {
      first.kill();
    }

    ChildServer second = ChildServer.start(data);
    try (NativeClient writer = rejoined(second, "writer")) {
      assertEquals(1, resend(writer, 1, "k1").at("/acks/0/seq").asLong(),
          "the original ack, though the op is long out of the five kept");
      JsonNode refused = resend(writer, 21, "k21");
      assertEquals("not_leader", refused.at("/rejects/0/code").asText(),
          "the original refusal, though nobody leads now: " + refused);
      assertEquals(20, head(second), "nothing applied again");

      JsonNode confirmed = writer.request(Map.of("type", "submit", "room", "small",
          "seenThrough", 21, "changes", List.of(Map.of("localSeq", 22, "baseSeq", 20,
              "set", Map.of("k22", "v22")))));
      assertEquals(21, confirmed.at("/acks/0/seq").asLong(), confirmed.toString());
      assertEquals("forgotten", resend(writer, 5, "k5").at("/rejects/0/code").asText());
    } finally {
      second.kill();
    }

    ChildServer third = ChildServer.start(data);
    try (NativeClient writer = rejoined(third, "writer")) {
      assertEquals("forgotten", resend(writer, 5, "k5").at("/rejects/0/code").asText(),
          "what the client confirmed stays forgotten, and is not applied");
      assertEquals(21, resend(writer, 22, "k22").at("/acks/0/seq").asLong());
      assertEquals(21, head(third));
    } finally {
      third.close();
    }
  }

  /** The room's head, as a client joining it now sees it. */
  private static long head(ChildServer server) throws Exception {
    try (NativeClient reader = NativeClient.connect(server.ws(), "reader")) {
      return reader.join("small", Map.of()).get("seq").asLong();
    }
  }
}
