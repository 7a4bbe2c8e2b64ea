package dev.livestate.server.adapter.meet;

import static dev.livestate.server.adapter.meet.MeetTestSupport.create;
import static dev.livestate.server.adapter.meet.MeetTestSupport.join;
import static dev.livestate.server.adapter.meet.MeetTestSupport.joinMsg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.server.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a balancer every meet client arrives from the balancer's address: one guesser must not
 * lock every location of every meet out. With the balancer trusted, failed joins are counted by
 * the address it forwards; from anyone else, a forwarded address is not believed.
 */
class MeetBehindAProxyTest {
  static final String INVALID = "invalid meetId/Password";
  static final String LOCKED_OUT = "too many failed attempts: try again later";
  static final String GUESSER = "198.51.100.66";
  static final String REFEREE = "203.0.113.10";

  @TempDir Path dir;

  @Test
  void aGuesserBehindATrustedProxyIsLockedOutAndAnotherClientOfTheProxyIsNot() throws Exception {
    try (TestServer server = MeetTestSupport.start(dir, Map.of("net.trusted-proxies",
        "127.0.0.1, ::1", "meet.max-failed-joins-per-address", "2"))) {
      String id = meet(server);
      try (MeetClient guesser = new MeetClient(server.port(), "X-Forwarded-For", GUESSER);
          MeetClient referee = new MeetClient(server.port(), "X-Forwarded-For",
              "192.0.2.1, " + REFEREE)) {
        guessUntilLockedOut(guesser, id);
        assertEquals(LOCKED_OUT, answerTo(guesser, joinMsg(id, "hq")),
            "the right password too, from the guesser's address");
        join(referee, id, "hq"); // another client of the same proxy is let in
      }
    }
  }

  @Test
  void aForwardedAddressFromAPeerThatIsNotTrustedIsIgnored() throws Exception {
    try (TestServer server = MeetTestSupport.start(dir, Map.of("net.trusted-proxies",
        "10.0.0.0/8", "meet.max-failed-joins-per-address", "2"))) {
      String id = meet(server);
      try (MeetClient guesser = new MeetClient(server.port(), "X-Forwarded-For", GUESSER);
          MeetClient other = new MeetClient(server.port(), "X-Forwarded-For", REFEREE,
              "Forwarded", "for=" + REFEREE)) {
        guessUntilLockedOut(guesser, id);
        assertEquals(LOCKED_OUT, answerTo(other, joinMsg(id, "hq")),
            "both are 127.0.0.1 whatever they say");
      }
    }
  }

  private static String meet(TestServer server) throws Exception {
    try (MeetClient hq = new MeetClient(server.port())) {
      return create(hq, "hq", "hq", 1).get("meetId").asText();
    }
  }

  private static void guessUntilLockedOut(MeetClient guesser, String id) {
    ObjectNode wrong = joinMsg(id, "hq").put("Password", "not the password");
    assertEquals(INVALID, answerTo(guesser, wrong));
    assertEquals(INVALID, answerTo(guesser, wrong));
    assertEquals(LOCKED_OUT, answerTo(guesser, wrong));
  }

  private static String answerTo(MeetClient c, ObjectNode join) {
    JsonNode answer = c.requestAny(join, "JOIN_REJECTED", "MEET_JOINED");
    return answer.path("reason").asText(answer.path("msgType").asText());
  }
}
