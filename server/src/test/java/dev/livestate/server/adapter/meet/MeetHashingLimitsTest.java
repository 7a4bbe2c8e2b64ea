package dev.livestate.server.adapter.meet;

import static dev.livestate.server.adapter.meet.MeetTestSupport.PASSWORD;
import static dev.livestate.server.adapter.meet.MeetTestSupport.create;
import static dev.livestate.server.adapter.meet.MeetTestSupport.joinMsg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.server.TestServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounds on scrypt work (issue 14): CREATE_MEETs per address, and how many computations run
 * at once, creates and joins together. The memory scrypt holds is at most the computations
 * running × 128·r·N bytes, so the bound on those running is what is asserted, not the RSS.
 */
class MeetHashingLimitsTest {
  static final String[] ANSWERS = {"MEET_CREATED", "MALFORMED_MESSAGE", "JOIN_REJECTED",
      "MEET_JOINED"};

  @TempDir Path dir;

  @Test
  void concurrentCreatesFromOneAddressPastTheLimitAreRefusedAtOnce() throws Exception {
    assumeTrue(LoopbackMeetClient.loopbackAliasesWork(), "needs 127.0.0.2 (Linux)");
    int limit = 10; // meet.max-creates-per-address, the default
    Vertx clients = Vertx.vertx();
    List<MeetClient> creators = new ArrayList<>();
    try (TestServer server = MeetTestSupport.start(dir, Map.of("meet.scrypt-log2n", "12"))) {
      Passwords passwords = server.server().surface(MeetSurface.class).passwords();
      for (int i = 0; i < 10; i++) {
        creators.add(new MeetClient(server.port()));
      }
      MeetBursts.sendAtOnce(creators, 3, createMsg());
      MeetBursts.awaitAnswers(creators, 3, ANSWERS);
      Map<String, Integer> answers = MeetBursts.tally(creators, ANSWERS,
          m -> (m.path("msgType").asText() + " " + m.path("errMsg").asText()).trim());
      System.out.printf("30 concurrent creates from one address: %s; most scrypt at once: %d%n",
          answers, passwords.mostRunningAtOnce());
      assertEquals(Map.of("MEET_CREATED", limit,
          "MALFORMED_MESSAGE " + Admissions.TOO_MANY_CREATED, 30 - limit), answers);
      assertTrue(passwords.mostRunningAtOnce() <= Runtime.getRuntime().availableProcessors(),
          "by default one computation per core: " + passwords.mostRunningAtOnce());

      LoopbackMeetClient elsewhere = new LoopbackMeetClient(clients, "127.0.0.2", server.port());
      elsewhere.send(createMsg());
      MeetBursts.await(() -> elsewhere.count("MEET_CREATED") == 1, Duration.ofSeconds(30),
          () -> "another address creates: " + elsewhere.received);
    } finally {
      creators.forEach(MeetClient::close);
      clients.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  @Test
  void scryptRunsAtMostTheBoundAtOnceAndPastTheQueueTheServerSaysItIsBusy() throws Exception {
    int bound = 2;
    List<MeetClient> all = new ArrayList<>();
    try (TestServer server = MeetTestSupport.start(dir, Map.of(
        "meet.scrypt-log2n", "14", "meet.max-concurrent-hashes", Integer.toString(bound),
        "meet.max-queued-hashes", "4", "meet.max-creates-per-address", "1000",
        "meet.max-failed-joins-per-address", "1000"))) {
      Passwords passwords = server.server().surface(MeetSurface.class).passwords();
      String id;
      try (MeetClient hq = new MeetClient(server.port())) {
        id = create(hq, "hq", "hq", 1).get("meetId").asText();
      }
      List<MeetClient> creators = new ArrayList<>();
      List<MeetClient> joiners = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        creators.add(new MeetClient(server.port()));
        joiners.add(new MeetClient(server.port()));
      }
      all.addAll(creators);
      all.addAll(joiners);
      Thread joining = new Thread(() -> send(joiners, 2, joinMsg(id, "hq").put("Password",
          "not the password")));
      joining.start();
      MeetBursts.sendAtOnce(creators, 2, createMsg());
      joining.join();
      MeetBursts.awaitAnswers(creators, 2, ANSWERS);
      MeetBursts.awaitAnswers(joiners, 2, ANSWERS);

      Map<String, Integer> answers = MeetBursts.tally(all, ANSWERS,
          m -> (m.path("msgType").asText() + " " + m.path("errMsg").asText(
              m.path("reason").asText())).trim());
      System.out.printf("20 creates and 20 joins at once, %d hashing threads, 4 queued: %s; "
          + "most scrypt at once: %d%n", bound, answers, passwords.mostRunningAtOnce());
      assertEquals(40, answers.values().stream().mapToInt(Integer::intValue).sum(), "all answered");
      assertTrue(passwords.mostRunningAtOnce() <= bound,
          "at most " + bound + " at once: " + passwords.mostRunningAtOnce());
      int busy = answers.getOrDefault("MALFORMED_MESSAGE " + HashingPool.BUSY, 0)
          + answers.getOrDefault("JOIN_REJECTED " + HashingPool.BUSY, 0);
      assertTrue(busy > 0, "past the queue, refused as busy: " + answers);
      for (String answer : answers.keySet()) {
        assertTrue(answer.equals("MEET_CREATED") || answer.endsWith(HashingPool.BUSY)
            || answer.endsWith(MeetPasswordGuessingTest.INVALID)
            || answer.endsWith(Admissions.TOO_MANY_WAITING), answer);
      }
      try (MeetClient later = new MeetClient(server.port())) {
        create(later, "hq", "hq", 1); // once the burst is over, the server is not busy
      }
    } finally {
      all.forEach(MeetClient::close);
    }
  }

  private static void send(List<MeetClient> clients, int each, JsonNode message) {
    try {
      MeetBursts.sendAtOnce(clients, each, message);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ObjectNode createMsg() {
    ObjectNode m = MeetClient.msg("CREATE_MEET").put("thisLocationName", "hq")
        .put("password", PASSWORD);
    m.putArray("endpoints").addObject().put("locationName", "hq").put("priority", 1);
    return m;
  }
}
