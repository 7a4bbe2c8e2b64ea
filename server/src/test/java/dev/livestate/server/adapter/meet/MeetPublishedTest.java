package dev.livestate.server.adapter.meet;

import static dev.livestate.server.adapter.meet.MeetTestSupport.create;
import static dev.livestate.server.adapter.meet.MeetTestSupport.join;
import static dev.livestate.server.adapter.meet.MeetTestSupport.pullMsg;
import static dev.livestate.server.adapter.meet.MeetTestSupport.state;
import static dev.livestate.server.adapter.meet.MeetTestSupport.updateMsg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.http.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A published meet across restarts: sealed for good, and purged at start once past retention. */
class MeetPublishedTest {
  static final String CSV = "Place,Name,Sex,Event,Equipment,TotalKg\n1,Ann Lee,F,SBD,Raw,455\n";
  static final String READ_ONLY = "meet is published: read-only";

  @TempDir Path dir;

  static ObjectNode publishMsg(String token) {
    return MeetClient.msg("PUBLISH_MEET").put("sessionToken", token)
        .put("returnEmail", "director@example.com").put("oplCsv", CSV);
  }

  static HttpResponse<String> download(TestServer s, String meetId, String token)
      throws Exception {
    return Http.send(HttpRequest.newBuilder(URI.create(s.http("/meet/" + meetId + "/csv")))
        .header("Authorization", "Bearer " + token));
  }

  @Test
  void aPublishedMeetRefusesUpdatesAfterARestart() throws Exception {
    String id;
    String director;
    try (TestServer server = MeetTestSupport.start(dir, Map.of());
        MeetClient a = new MeetClient(server.port())) {
      JsonNode created = create(a, "hq", "hq", 5, "desk", 1);
      id = created.get("meetId").asText();
      director = created.get("sessionToken").asText();
      a.request(updateMsg(director, 0, "lifter.1.total", 455, 1), "UPDATE_ACK");
      a.request(publishMsg(director), "PUBLISH_ACK");
    }
    try (TestServer server = MeetTestSupport.start(dir, Map.of());
        MeetClient a = new MeetClient(server.port());
        MeetClient d = new MeetClient(server.port())) {
      // the director's old session and a location joining afresh are both refused
      JsonNode refused = a.requestAny(updateMsg(director, 1, "lifter.1.total", 460, 2),
          "UPDATE_REJECTED", "UPDATE_ACK");
      assertEquals("UPDATE_REJECTED", refused.path("msgType").asText(), refused.toString());
      JsonNode r = refused.at("/updatesRejected/0");
      assertEquals(2, r.get("localSeqNum").asLong());
      assertFalse(r.get("conflict").asBoolean());
      assertEquals(READ_ONLY, r.get("reason").asText());
      String desk = join(d, id, "desk");
      JsonNode deskRefused = d.requestAny(updateMsg(desk, 1, "lifter.2.name", "Bo", 1),
          "UPDATE_REJECTED", "UPDATE_ACK");
      assertEquals(READ_ONLY, deskRefused.at("/updatesRejected/0/reason").asText(),
          deskRefused.toString());
      assertEquals("meet is already published",
          a.request(publishMsg(director), "PUBLISH_REJECTED").get("reason").asText());
      // nothing changed, the CSV is still there and both connections keep working
      assertEquals(Map.of("lifter.1.total", MeetClient.JSON.valueToTree(455)),
          state(a, director));
      assertEquals(1, MeetTestSupport.pull(d, desk, 0).get("lastServerSeq").asLong());
      HttpResponse<String> csv = download(server, id, desk);
      assertEquals(200, csv.statusCode());
      assertEquals(CSV, csv.body());
    }
  }

  @Test
  void finishedMeetsPastTheirRetentionArePurgedWhenTheServerStarts() throws Exception {
    String finished;
    String finishedToken;
    String running;
    String runningToken;
    try (TestServer server = MeetTestSupport.start(dir, Map.of());
        MeetClient a = new MeetClient(server.port())) {
      JsonNode f = create(a, "hq", "hq", 1);
      finished = f.get("meetId").asText();
      finishedToken = f.get("sessionToken").asText();
      a.request(publishMsg(finishedToken), "PUBLISH_ACK");
      JsonNode r = create(a, "hq", "hq", 1);
      running = r.get("meetId").asText();
      runningToken = r.get("sessionToken").asText();
      a.request(updateMsg(runningToken, 0, "k", "v", 1), "UPDATE_ACK");
    }
    // The hourly sweep cannot run within this test: only the purge at start can remove it.
    try (TestServer server = MeetTestSupport.start(dir, Map.of(
        "meet.finished-retention", "1ms", "meet.purge-interval", "1h"));
        MeetClient a = new MeetClient(server.port())) {
      assertEquals(null, server.server().engine().room("meet:" + finished), "purged during start");
      a.request(pullMsg(finishedToken, 0), "INVALID_SESSION");
      assertEquals(401, download(server, finished, finishedToken).statusCode());
      assertEquals("invalid meetId/Password",
          a.request(MeetTestSupport.joinMsg(finished, "hq"), "JOIN_REJECTED").get("reason")
              .asText());
      // a meet still running is never purged, however old
      assertEquals("v", state(a, runningToken).get("k").asText());
    }
  }
}
