package dev.livestate.server.adapter.meet;

import static dev.livestate.server.adapter.meet.MeetTestSupport.create;
import static dev.livestate.server.adapter.meet.MeetTestSupport.joinMsg;
import static dev.livestate.server.adapter.meet.MeetTestSupport.pull;
import static dev.livestate.server.adapter.meet.MeetTestSupport.updateMsg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.server.TestServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meet protocol's limits: join throttling window, decoy hashing, updates per message, binary. */
class MeetLimitsTest {
  static final String INVALID = "invalid meetId/Password";

  @TempDir Path dir;

  @Test
  void joinsAreAllowedAgainOnceTheFailedJoinWindowHasPassed() throws Exception {
    try (TestServer server = MeetTestSupport.start(dir, Map.of(
        "meet.max-failed-joins-per-address", "2", "meet.failed-join-window", "3s"));
        MeetClient a = new MeetClient(server.port())) {
      String id = create(a, "a", "a", 1).get("meetId").asText();
      ObjectNode wrong = joinMsg(id, "a").put("Password", "not the password");
      assertEquals(INVALID, a.request(wrong, "JOIN_REJECTED").get("reason").asText());
      assertEquals(INVALID, a.request(wrong, "JOIN_REJECTED").get("reason").asText());
      JsonNode refused = a.requestAny(joinMsg(id, "a"), "JOIN_REJECTED", "MEET_JOINED");
      assertEquals("too many failed attempts: try again later", refused.path("reason").asText(),
          refused.toString());
      // Refused attempts are not failures of their own: the window runs out and the right
      // password gets in again.
      long deadline = System.currentTimeMillis() + 15_000;
      JsonNode answer;
      do {
        Thread.sleep(100);
        answer = a.requestAny(joinMsg(id, "a"), "JOIN_REJECTED", "MEET_JOINED");
      } while (!answer.path("msgType").asText().equals("MEET_JOINED")
          && System.currentTimeMillis() < deadline);
      assertEquals("MEET_JOINED", answer.path("msgType").asText(), answer.toString());
    }
  }

  /**
   * An unknown meet must not answer faster than a known one with a wrong password (a timing
   * oracle for meet ids). Wall-clock ratios are flaky on a shared machine, so this compares the
   * CPU time the meet's hashing threads spend (where scrypt runs, as documented): one scrypt
   * per join either way.
   */
  @Test
  void aJoinToAnUnknownMeetCostsTheScryptWorkOfAWrongPassword() throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    assertTrue(mx.isThreadCpuTimeSupported());
    try (TestServer server = MeetTestSupport.start(dir, Map.of("meet.scrypt-log2n", "14",
        "meet.max-failed-joins-per-address", "1000"));
        MeetClient a = new MeetClient(server.port())) {
      String id = create(a, "a", "a", 1).get("meetId").asText();
      String unknown = id.equals("123456789") ? "987654321" : "123456789";
      ObjectNode wrong = joinMsg(id, "a").put("Password", "not the password");
      ObjectNode nowhere = joinMsg(unknown, "a");
      ObjectNode notAnId = joinMsg("no such meet", "a");
      join(a, wrong); // warm-up: the hash code is compiled before measuring
      long wrongCpu = 0;
      long unknownCpu = 0;
      long notAnIdCpu = 0;
      for (int i = 0; i < 3; i++) {
        wrongCpu += join(a, wrong);
        unknownCpu += join(a, nowhere);
        notAnIdCpu += join(a, notAnId);
      }
      assertTrue(wrongCpu > 3 * 5_000_000L, "three 2^14 scrypt checks take CPU: " + wrongCpu);
      assertTrue(unknownCpu > wrongCpu / 2,
          "unknown meet " + unknownCpu + " ns vs wrong password " + wrongCpu + " ns");
      assertTrue(notAnIdCpu > wrongCpu / 2,
          "malformed meet id " + notAnIdCpu + " ns vs wrong password " + wrongCpu + " ns");
    }
  }

  /** Sends a join that must fail as a wrong password does; returns the worker CPU it cost. */
  private static long join(MeetClient a, ObjectNode message) {
    long before = workerCpuNanos();
    assertEquals(INVALID, a.request(message, "JOIN_REJECTED").get("reason").asText());
    return workerCpuNanos() - before;
  }

  private static long workerCpuNanos() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("livestate-meet-scrypt")) {
        sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
      }
    }
    return sum;
  }

  @Test
  void aMessageWithMoreUpdatesThanAllowedIsRefusedAndTheConnectionStays() throws Exception {
    try (TestServer server = MeetTestSupport.start(dir, Map.of());
        MeetClient a = new MeetClient(server.port())) {
      String token = create(a, "a", "a", 1).get("sessionToken").asText();
      JsonNode refused = a.request(manyUpdates(token, 10_001), "MALFORMED_MESSAGE");
      assertEquals("at most 10000 updates per message", refused.get("errMsg").asText());
      assertEquals(0, pull(a, token, 0).get("lastServerSeq").asLong(), "none was applied");
      JsonNode ack = a.request(manyUpdates(token, 10_000), "UPDATE_ACK");
      assertEquals(10_000, ack.get("updateAcks").size(), "exactly the limit is accepted");
      assertEquals(10_000, pull(a, token, 0).get("lastServerSeq").asLong());
      assertFalse(a.isClosed());
    }
  }

  private static ObjectNode manyUpdates(String token, int n) {
    ObjectNode m = MeetClient.msg("UPDATE_INIT").put("sessionToken", token);
    ArrayNode list = m.putArray("updates");
    for (int i = 1; i <= n; i++) {
      list.addObject().put("updateKey", "k" + i).put("updateValue", i).put("localSeqNum", i)
          .put("afterServerSeqNum", 0);
    }
    return m;
  }

  @Test
  void aBinaryFrameIsAnsweredMalformedAndTheConnectionKeepsWorking() throws Exception {
    try (TestServer server = MeetTestSupport.start(dir, Map.of());
        MeetClient a = new MeetClient(server.port())) {
      String token = create(a, "a", "a", 1).get("sessionToken").asText();
      int from = a.count();
      a.sendBinary(updateMsg(token, 0, "k", 1, 1).toString().getBytes(StandardCharsets.UTF_8));
      JsonNode answer = a.await(from, m -> !m.path("msgType").asText().isEmpty());
      assertEquals("MALFORMED_MESSAGE", answer.path("msgType").asText(), answer.toString());
      assertTrue(answer.path("errMsg").asText().contains("binary"), answer.toString());
      assertEquals(0, pull(a, token, 0).get("lastServerSeq").asLong(), "the frame was not applied");
      a.request(updateMsg(token, 0, "k", 1, 1), "UPDATE_ACK");
      assertFalse(a.isClosed());
    }
  }
}
