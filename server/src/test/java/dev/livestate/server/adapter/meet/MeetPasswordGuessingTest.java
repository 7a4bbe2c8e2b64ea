package dev.livestate.server.adapter.meet;

import static dev.livestate.server.adapter.meet.MeetTestSupport.create;
import static dev.livestate.server.adapter.meet.MeetTestSupport.joinMsg;
import static dev.livestate.server.adapter.meet.MeetTestSupport.updateMsg;
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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guessing a meet's password (issue 14): attempts in flight count before any scrypt work, and
 * a stranger's failed joins slow the guessing down without locking the meet's locations out.
 */
class MeetPasswordGuessingTest {
  static final String INVALID = "invalid meetId/Password";
  static final String WRONG = "not the password";

  @TempDir Path dir;

  @Test
  void twoHundredConcurrentWrongJoinsFromOneAddressAreAllAnsweredAfterAtMostTheLimitOfChecks()
      throws Exception {
    int limit = 10; // meet.max-failed-joins-per-address, the default
    try (TestServer server = MeetTestSupport.start(dir, Map.of("meet.scrypt-log2n", "12"))) {
      Passwords passwords = server.server().surface(MeetSurface.class).passwords();
      String id;
      try (MeetClient hq = new MeetClient(server.port())) {
        id = create(hq, "hq", "hq", 1).get("meetId").asText();
      }
      List<MeetClient> guessers = new ArrayList<>();
      try {
        for (int i = 0; i < 20; i++) {
          guessers.add(new MeetClient(server.port()));
        }
        MeetBursts.sendAtOnce(guessers, 10, joinMsg(id, "hq").put("Password", WRONG));
        MeetBursts.awaitAnswers(guessers, 10, "JOIN_REJECTED", "MEET_JOINED");

        String[] answers = {"JOIN_REJECTED", "MEET_JOINED"};
        Map<String, Integer> reasons = MeetBursts.tally(guessers, answers,
            m -> m.path("reason").asText(m.path("msgType").asText()));
        long checks = passwords.checksPerformed();
        System.out.printf("200 concurrent wrong joins from one address: %d scrypt checks, "
            + "answers %s%n", checks, reasons);
        assertEquals(200, reasons.values().stream().mapToInt(Integer::intValue).sum(),
            "every join got exactly one answer: " + reasons);
        assertTrue(checks <= limit, checks + " scrypt checks for " + limit + " allowed");
        assertEquals(checks, (long) reasons.getOrDefault(INVALID, 0),
            "each check, and only a check, answered 'invalid': " + reasons);
        assertTrue(Set.of(INVALID, Admissions.TOO_MANY_FAILED, Admissions.TOO_MANY_WAITING)
            .containsAll(reasons.keySet()), "the rest refused at once: " + reasons);
      } finally {
        guessers.forEach(MeetClient::close);
      }
    }
  }

  @Test
  void twoHundredConcurrentWrongJoinsToAsManyMeetsFromOneAddressCostAtMostTheLimitOfChecks()
      throws Exception {
    int limit = 10; // meet.max-failed-joins-per-address, the default
    try (TestServer server = MeetTestSupport.start(dir, Map.of("meet.scrypt-log2n", "12"))) {
      Passwords passwords = server.server().surface(MeetSurface.class).passwords();
      String known;
      try (MeetClient hq = new MeetClient(server.port())) {
        known = create(hq, "hq", "hq", 1).get("meetId").asText();
      }
      List<MeetClient> guessers = new ArrayList<>();
      try {
        for (int i = 0; i < 20; i++) {
          guessers.add(new MeetClient(server.port()));
        }
        // one guess per meet id, so no meet's pacing is what stops them: the address limit is
        MeetBursts.sendAtOnce(guessers, 10, n -> joinMsg(n == 0 ? known
            : String.format("%09d", (Long.parseLong(known) + n) % 1_000_000_000), "hq")
            .put("Password", WRONG));
        MeetBursts.awaitAnswers(guessers, 10, "JOIN_REJECTED", "MEET_JOINED");

        Map<String, Integer> reasons = MeetBursts.tally(guessers,
            new String[] {"JOIN_REJECTED", "MEET_JOINED"}, m -> m.path("reason").asText());
        long checks = passwords.checksPerformed();
        System.out.printf("200 concurrent wrong joins to 200 meet ids from one address: %d "
            + "scrypt checks, answers %s%n", checks, reasons);
        assertTrue(checks <= limit, checks + " scrypt checks for " + limit + " allowed");
        assertEquals(Map.of(INVALID, (int) checks, Admissions.TOO_MANY_FAILED, 200 - (int) checks),
            reasons);
      } finally {
        guessers.forEach(MeetClient::close);
      }
    }
  }

  /**
   * Three stranger addresses keep the meet's check queue full with wrong passwords, well past
   * the 50 failures that used to lock a meet for 15 minutes (an address here stands for many,
   * so the per-address limit is lifted). A location with the password still gets in within a
   * turn per flooding address, and a location holding a session token never waits at all.
   */
  @Test
  void aStrangerFailingJoinsDoesNotLockOutALocationWithThePassword() throws Exception {
    assumeTrue(LoopbackMeetClient.loopbackAliasesWork(), "needs 127.0.0.2 etc. (Linux)");
    long interval = 50;
    Vertx clients = Vertx.vertx();
    List<LoopbackMeetClient> strangers = new ArrayList<>();
    try (TestServer server = MeetTestSupport.start(dir, Map.of(
        "meet.max-failed-joins-per-address", "100000",
        "meet.password-check-interval", interval + "ms", "meet.password-check-burst", "1"));
        MeetClient hq = new MeetClient(server.port())) {
      JsonNode created = create(hq, "hq", "hq", 2, "platform", 1);
      String id = created.get("meetId").asText();
      String hqToken = created.get("sessionToken").asText();
      ObjectNode wrong = joinMsg(id, "platform").put("Password", WRONG);
      for (int i = 2; i <= 4; i++) {
        LoopbackMeetClient stranger = new LoopbackMeetClient(clients, "127.0.0." + i,
            server.port());
        strangers.add(stranger);
        // each guess checked and failed: guess again at once, keeping the queue full
        stranger.onMessage(m -> {
          if (INVALID.equals(m.path("reason").asText())) {
            stranger.send(wrong);
          }
        });
        for (int k = 0; k <= PasswordPacer.WAITING_PER_ADDRESS; k++) {
          stranger.send(wrong);
        }
      }
      MeetBursts.await(() -> failures(strangers) > 60, Duration.ofSeconds(60),
          () -> failures(strangers) + " failed joins");

      long t0 = System.nanoTime();
      hq.request(updateMsg(hqToken, 0, "lifters", 12, 1), "UPDATE_ACK");
      long updateMillis = (System.nanoTime() - t0) / 1_000_000;

      long failuresBefore = failures(strangers);
      try (MeetClient platform = new MeetClient(server.port())) {
        long t1 = System.nanoTime();
        JsonNode joined = platform.requestAny(joinMsg(id, "platform"), "MEET_JOINED",
            "JOIN_REJECTED");
        long joinMillis = (System.nanoTime() - t1) / 1_000_000;
        System.out.printf("while strangers flood (%d failed joins): the location joined in "
            + "%d ms, a session holder's update was acked in %d ms%n", failuresBefore,
            joinMillis, updateMillis);
        assertEquals("MEET_JOINED", joined.path("msgType").asText(), joined.toString());
        // its turn comes after at most one check per stranger address (and the one running)
        long bound = (strangers.size() + 1) * interval + 2_000;
        assertTrue(joinMillis < bound, "joined in " + joinMillis + " ms, bound " + bound);
      }
      MeetBursts.await(() -> failures(strangers) > failuresBefore + strangers.size(),
          Duration.ofSeconds(30), () -> "the flood went on");
    } finally {
      strangers.forEach(LoopbackMeetClient::close);
      clients.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static long failures(List<LoopbackMeetClient> strangers) {
    return strangers.stream().flatMap(s -> s.received.stream())
        .filter(m -> INVALID.equals(m.path("reason").asText())).count();
  }
}
