package dev.livestate.server.adapter.meet;

import static dev.livestate.server.adapter.meet.MeetTestSupport.create;
import static dev.livestate.server.adapter.meet.MeetTestSupport.join;
import static dev.livestate.server.adapter.meet.MeetTestSupport.joinMsg;
import static dev.livestate.server.adapter.meet.MeetTestSupport.pull;
import static dev.livestate.server.adapter.meet.MeetTestSupport.pullMsg;
import static dev.livestate.server.adapter.meet.MeetTestSupport.state;
import static dev.livestate.server.adapter.meet.MeetTestSupport.updateMsg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.livestate.server.TestServer;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Throttling, session expiry, publish email, and what survives a restart. */
class MeetLifecycleTest {
  @RegisterExtension
  static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  @Test
  void failedJoinsAreThrottledPerAddress() throws Exception {
    try (TestServer server = MeetTestSupport.start(dir, Map.of(
        "meet.max-failed-joins-per-address", "3"));
        MeetClient a = new MeetClient(server.port())) {
      String id = create(a, "a", "a", 1).get("meetId").asText();
      String other = create(a, "a", "a", 1).get("meetId").asText();
      ObjectNode wrong = joinMsg(id, "a").put("Password", "not the password");
      for (int i = 0; i < 3; i++) {
        assertEquals("invalid meetId/Password", a.request(wrong, "JOIN_REJECTED").get("reason").asText());
      }
      assertTrue(a.request(joinMsg(other, "a"), "JOIN_REJECTED").get("reason").asText()
          .contains("too many"), "this address is refused even with the right password");
    }
  }

  @Test
  void sessionsExpire() throws Exception {
    try (TestServer server = MeetTestSupport.start(dir, Map.of("meet.session-ttl", "1s"));
        MeetClient a = new MeetClient(server.port())) {
      String token = create(a, "a", "a", 1).get("sessionToken").asText();
      pull(a, token, 0);
      long deadline = System.currentTimeMillis() + 10_000;
      JsonNode answer;
      do {
        answer = a.requestAny(pullMsg(token, 0), "INVALID_SESSION", "UPDATE_RELAY");
      } while (!answer.path("msgType").asText().equals("INVALID_SESSION")
          && System.currentTimeMillis() < deadline);
      assertEquals("INVALID_SESSION", answer.path("msgType").asText());
    }
  }

  @Test
  void publishEmailsTheCsvToTheReturnAddress() throws Exception {
    int smtp = MAIL.getSmtp().getPort();
    try (TestServer server = MeetTestSupport.start(dir, Map.of("meet.smtp.host", "127.0.0.1",
        "meet.smtp.port", Integer.toString(smtp), "meet.smtp.security", "none",
        "meet.smtp.from", "live@example.org"));
        MeetClient a = new MeetClient(server.port())) {
      JsonNode created = create(a, "a", "a", 1);
      String csv = "Place,Name,Sex,Event,Equipment,TotalKg\n1,Ann Lee,F,SBD,Raw,455\n";
      ObjectNode publish = MeetClient.msg("PUBLISH_MEET")
          .put("sessionToken", created.get("sessionToken").asText())
          .put("returnEmail", "director@example.com").put("oplCsv", csv);
      JsonNode ack = a.request(publish, "PUBLISH_ACK");
      assertTrue(ack.get("emailSent").asBoolean());
      assertTrue(MAIL.waitForIncomingEmail(10_000, 1));
      MimeMessage mail = MAIL.getReceivedMessages()[0];
      assertEquals("director@example.com", mail.getAllRecipients()[0].toString());
      assertTrue(mail.getSubject().contains(created.get("meetIdDisplay").asText()));
      Multipart parts = (Multipart) mail.getContent();
      assertEquals(2, parts.getCount());
      assertTrue(parts.getBodyPart(1).getFileName().endsWith(".csv"));
      assertEquals(csv.strip(), GreenMailUtil.getBody(parts.getBodyPart(1)).replace("\r\n", "\n").strip());
    }
  }

  @Test
  void finishedMeetsArePurgedAfterTheirRetention() throws Exception {
    try (TestServer server = MeetTestSupport.start(dir, Map.of(
        "meet.finished-retention", "1s", "meet.purge-interval", "1s"));
        MeetClient a = new MeetClient(server.port())) {
      JsonNode created = create(a, "a", "a", 1);
      String token = created.get("sessionToken").asText();
      String room = "meet:" + created.get("meetId").asText();
      ObjectNode publish = MeetClient.msg("PUBLISH_MEET").put("sessionToken", token)
          .put("returnEmail", "director@example.com").put("oplCsv", "x");
      a.request(publish, "PUBLISH_ACK");
      long deadline = System.currentTimeMillis() + 15_000;
      while (server.server().engine().room(room) != null && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(null, server.server().engine().room(room));
      a.request(pullMsg(token, 0), "INVALID_SESSION");
    }
  }

  /**
   * The server loses everything (a new data directory). The director re-creates the meet under
   * its old id; both locations pull with their old position, get SERVER_PULL, and re-submit what
   * they hold; the higher priority's values win and both converge.
   */
  @Test
  void wipedServerRebuildsTheMeetFromTheClientsLogs(@TempDir Path second) throws Exception {
    String id;
    String epoch;
    try (TestServer server = MeetTestSupport.start(dir, Map.of());
        MeetClient a = new MeetClient(server.port())) {
      JsonNode created = create(a, "hq", "hq", 5, "desk", 1);
      id = created.get("meetId").asText();
      epoch = created.get("serverEpoch").asText();
      a.request(updateMsg(created.get("sessionToken").asText(), 0, "k1", "hq", 1, "k2", "hq", 2),
          "UPDATE_ACK");
    }
    try (TestServer server = MeetTestSupport.start(second, Map.of());
        MeetClient hq = new MeetClient(server.port());
        MeetClient desk = new MeetClient(server.port())) {
      ObjectNode again = MeetClient.msg("CREATE_MEET").put("meetId", id)
          .put("thisLocationName", "hq").put("password", MeetTestSupport.PASSWORD);
      again.putArray("endpoints").addObject().put("locationName", "hq").put("priority", 5);
      ((com.fasterxml.jackson.databind.node.ArrayNode) again.get("endpoints")).addObject()
          .put("locationName", "desk").put("priority", 1);
      JsonNode recreated = hq.request(again, "MEET_CREATED");
      assertEquals(id, recreated.get("meetId").asText());
      String newEpoch = recreated.get("serverEpoch").asText();
      String th = recreated.get("sessionToken").asText();
      String td = join(desk, id, "desk");
      // desk pulls first with its old position: it is asked for its log before hq.
      JsonNode askDesk = desk.request(pullMsg(td, 2).put("serverEpoch", epoch), "SERVER_PULL");
      assertEquals(newEpoch, askDesk.get("serverEpoch").asText());
      desk.request(updateMsg(td, 0, "k1", "desk", 10, "k3", "desk", 11).put("serverEpoch", newEpoch),
          "UPDATE_ACK");
      hq.request(pullMsg(th, 2).put("serverEpoch", epoch), "SERVER_PULL");
      hq.request(updateMsg(th, 0, "k1", "hq", 10, "k2", "hq", 11).put("serverEpoch", newEpoch),
          "UPDATE_ACK");
      Map<String, JsonNode> rebuilt = state(hq, th);
      assertEquals("hq", rebuilt.get("k1").asText(), "the higher priority's value wins");
      assertEquals("hq", rebuilt.get("k2").asText());
      assertEquals("desk", rebuilt.get("k3").asText());
      assertEquals(rebuilt, state(desk, td));
      ObjectNode taken = again.deepCopy();
      assertTrue(hq.request(taken, "MALFORMED_MESSAGE").get("errMsg").asText().contains("exists"),
          "an existing meet cannot be re-created");
    }
  }

  @Test
  void restartKeepsMeetsSessionsAndLogs() throws Exception {
    String token;
    String id;
    Map<String, JsonNode> before;
    try (TestServer server = MeetTestSupport.start(dir, Map.of());
        MeetClient a = new MeetClient(server.port())) {
      JsonNode created = create(a, "a", "a", 1, "b", 1);
      token = created.get("sessionToken").asText();
      id = created.get("meetId").asText();
      a.request(updateMsg(token, 0, "k1", "v1", 1, "k2", 2, 2), "UPDATE_ACK");
      before = state(a, token);
    }
    try (TestServer server = MeetTestSupport.start(dir, Map.of());
        MeetClient a = new MeetClient(server.port())) {
      assertEquals(before, state(a, token), "the old session token still works");
      assertEquals(2, pull(a, token, 0).get("lastServerSeq").asLong());
      a.request(joinMsg(id, "b"), "MEET_JOINED");
      a.request(updateMsg(token, 2, "k1", "v2", 3), "UPDATE_ACK");
    }
  }
}
