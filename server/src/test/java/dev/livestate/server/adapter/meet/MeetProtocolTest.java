package dev.livestate.server.adapter.meet;

import static dev.livestate.server.adapter.meet.MeetTestSupport.create;
import static dev.livestate.server.adapter.meet.MeetTestSupport.join;
import static dev.livestate.server.adapter.meet.MeetTestSupport.joinMsg;
import static dev.livestate.server.adapter.meet.MeetTestSupport.pull;
import static dev.livestate.server.adapter.meet.MeetTestSupport.pullMsg;
import static dev.livestate.server.adapter.meet.MeetTestSupport.state;
import static dev.livestate.server.adapter.meet.MeetTestSupport.updateMsg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The meet protocol against a real server: messages, auth rules and errors. */
class MeetProtocolTest {
  @RegisterExtension
  // one server for the whole class: more creates from 127.0.0.1 than an hour's default allows
  static final TestServer server = TestServer.perClass(
      MeetTestSupport.settings(Map.of("meet.max-creates-per-address", "1000")));

  MeetClient client() throws Exception {
    return new MeetClient(server.port());
  }

  @Test
  void createdMeetHasNineDigitIdShownInGroupsAndALongToken() throws Exception {
    try (MeetClient a = client()) {
      JsonNode created = create(a, "platform", "platform", 5, "weighin", 1);
      String id = created.get("meetId").asText();
      assertTrue(id.matches("\\d{9}"), id);
      assertEquals(id.substring(0, 3) + " " + id.substring(3, 6) + " " + id.substring(6),
          created.get("meetIdDisplay").asText());
      String token = created.get("sessionToken").asText();
      assertTrue(token.startsWith(id + "."));
      assertTrue(token.length() - 10 >= 22, "at least 128 random bits");
      assertEquals(5, created.get("priority").asInt());
      assertFalse(created.get("serverEpoch").asText().isEmpty());
    }
  }

  @Test
  void meetsGetDistinctIds() throws Exception {
    try (MeetClient a = client()) {
      String first = create(a, "x", "x", 1).get("meetId").asText();
      String second = create(a, "x", "x", 1).get("meetId").asText();
      assertNotEquals(first, second);
    }
  }

  @Test
  void shortPasswordOrUnlistedLocationIsRefusedAtCreation() throws Exception {
    try (MeetClient a = client()) {
      ObjectNode m = MeetClient.msg("CREATE_MEET").put("thisLocationName", "x")
          .put("password", "short");
      m.putArray("endpoints").addObject().put("locationName", "x").put("priority", 1);
      assertTrue(a.request(m, "MALFORMED_MESSAGE").get("errMsg").asText().contains("10"));
      m.put("password", MeetTestSupport.PASSWORD).put("thisLocationName", "y");
      assertTrue(a.request(m, "MALFORMED_MESSAGE").get("errMsg").asText().contains("endpoints"));
      m.remove("endpoints");
      m.put("thisLocationName", "x").putArray("locations").addObject()
          .put("locationName", "x").put("priority", 1);
      assertEquals("MEET_CREATED", a.requestAny(m, "MEET_CREATED", "MALFORMED_MESSAGE")
          .get("msgType").asText(), "'locations' is accepted for 'endpoints'");
    }
  }

  @Test
  void joinChecksPasswordInEitherSpellingAndLocation() throws Exception {
    try (MeetClient a = client(); MeetClient b = client()) {
      String id = create(a, "a", "a", 2, "b", 1).get("meetId").asText();
      JsonNode joined = b.request(joinMsg(id, "b"), "MEET_JOINED");
      assertEquals(1, joined.get("priority").asInt());
      ObjectNode lower = MeetClient.msg("JOIN_MEET").put("meetId", id.substring(0, 3) + " "
          + id.substring(3, 6) + " " + id.substring(6)).put("password", MeetTestSupport.PASSWORD)
          .put("locationName", "b");
      assertEquals("MEET_JOINED", b.requestAny(lower, "MEET_JOINED", "JOIN_REJECTED")
          .get("msgType").asText());
      ObjectNode wrong = joinMsg(id, "b").put("Password", "wrong password!");
      assertEquals("invalid meetId/Password", b.request(wrong, "JOIN_REJECTED").get("reason").asText());
      assertEquals("invalid meetId/Password",
          b.request(joinMsg("000000000".equals(id) ? "000000001" : "000000000", "b"),
              "JOIN_REJECTED").get("reason").asText());
      assertEquals("invalid locationName",
          b.request(joinMsg(id, "nowhere"), "JOIN_REJECTED").get("reason").asText());
    }
  }

  @Test
  void displayOnlyClientGetsRelaysButCanNeverWrite() throws Exception {
    try (MeetClient a = client(); MeetClient d = client()) {
      JsonNode created = create(a, "a", "a", 1);
      String id = created.get("meetId").asText();
      String token = created.get("sessionToken").asText();
      ObjectNode display = MeetClient.msg("JOIN_MEET").put("meetId", id)
          .put("password", MeetTestSupport.PASSWORD).put("displayOnly", true);
      JsonNode joined = d.request(display, "MEET_JOINED");
      assertTrue(joined.get("displayOnly").asBoolean());
      String dtoken = joined.get("sessionToken").asText();
      int from = d.count();
      a.request(updateMsg(token, 0, "lifter.1.name", "Ann", 1), "UPDATE_ACK");
      JsonNode relay = d.await(from, m -> m.path("msgType").asText().equals("UPDATE_RELAY"));
      assertEquals("Ann", relay.at("/updatesRelayed/0/updateValue").asText());
      JsonNode rejected = d.request(updateMsg(dtoken, 1, "lifter.1.name", "Bob", 1),
          "UPDATE_REJECTED");
      assertFalse(rejected.at("/updatesRejected/0/conflict").asBoolean());
      ObjectNode publish = MeetClient.msg("PUBLISH_MEET").put("sessionToken", dtoken)
          .put("returnEmail", "x@example.com").put("oplCsv", "a,b");
      d.request(publish, "PUBLISH_REJECTED");
      assertEquals("Ann", state(a, token).get("lifter.1.name").asText());
    }
  }

  @Test
  void badInputGetsTheProtocolsErrorsAndTheConnectionKeepsWorking() throws Exception {
    try (MeetClient a = client()) {
      int from = a.count();
      a.send("{not json");
      assertFalse(a.await(from, m -> m.path("msgType").asText().equals("MALFORMED_MESSAGE"))
          .get("errMsg").asText().isEmpty());
      JsonNode unknown = a.request(MeetClient.msg("DANCE"), "UNKNOWN_MESSAGE_TYPE");
      assertEquals("DANCE", unknown.get("unknownMsgType").asText());
      assertEquals("MALFORMED_MESSAGE",
          a.request(MeetClient.JSON.createObjectNode().put("x", 1), "MALFORMED_MESSAGE")
              .get("msgType").asText());
      JsonNode invalid = a.request(pullMsg("123456789.bogus", 0), "INVALID_SESSION");
      assertEquals("123456789.bogus", invalid.get("sessionToken").asText());
      a.request(updateMsg("nonsense", 0, "k", 1, 1), "INVALID_SESSION");
      assertFalse(a.isClosed());
      create(a, "a", "a", 1);
    }
  }

  @Test
  void onlyAuthenticatedClientsDownloadTheLogAndCsv() throws Exception {
    try (MeetClient a = client(); MeetClient other = client()) {
      JsonNode created = create(a, "a", "a", 1);
      String id = created.get("meetId").asText();
      String token = created.get("sessionToken").asText();
      String otherToken = create(other, "z", "z", 1).get("sessionToken").asText();
      a.request(updateMsg(token, 0, "k", "v", 1), "UPDATE_ACK");
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port() + "/meet/" + id;
      assertEquals(401, get(http, base + "/log", null).statusCode());
      assertEquals(401, get(http, base + "/log", otherToken).statusCode());
      HttpResponse<String> log = get(http, base + "/log", token);
      assertEquals(200, log.statusCode());
      JsonNode body = MeetClient.JSON.readTree(log.body());
      assertEquals("v", body.at("/updates/0/updateValue").asText());
      assertEquals(404, get(http, base + "/csv", token).statusCode());
      HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(base + "/log"))
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
          .header("Origin", "https://www.openlifter.com")
          .header("Access-Control-Request-Method", "GET")
          .header("Access-Control-Request-Headers", "authorization").build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")
          .toLowerCase(java.util.Locale.ROOT).contains("authorization"), preflight.headers().toString());
      ObjectNode publish = MeetClient.msg("PUBLISH_MEET").put("sessionToken", token)
          .put("returnEmail", "director@example.com").put("oplCsv", "Name,Total\nAnn,500\n");
      JsonNode ack = a.request(publish, "PUBLISH_ACK");
      assertFalse(ack.get("emailSent").asBoolean());
      HttpResponse<String> csv = get(http, base + "/csv", token);
      assertEquals(200, csv.statusCode());
      assertEquals("Name,Total\nAnn,500\n", csv.body());
      JsonNode after = a.request(updateMsg(token, 1, "k", "w", 2), "UPDATE_REJECTED");
      assertTrue(after.at("/updatesRejected/0/reason").asText().contains("published"));
      a.request(publish, "PUBLISH_REJECTED");
    }
  }

  static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void clientPullReturnsExactlyWhatWasMissed() throws Exception {
    try (MeetClient a = client(); MeetClient b = client()) {
      JsonNode created = create(a, "a", "a", 1, "b", 1);
      String token = created.get("sessionToken").asText();
      String id = created.get("meetId").asText();
      for (int i = 1; i <= 5; i++) {
        a.request(updateMsg(token, i - 1, "k" + i, i, i), "UPDATE_ACK");
      }
      String btoken = join(b, id, "b");
      JsonNode missed = pull(b, btoken, 3);
      assertEquals(2, missed.get("updatesRelayed").size());
      assertEquals(4, missed.at("/updatesRelayed/0/serverSeqNum").asLong());
      assertEquals(5, missed.at("/updatesRelayed/1/serverSeqNum").asLong());
      assertEquals(5, missed.get("lastServerSeq").asLong());
      assertEquals(0, pull(b, btoken, 5).get("updatesRelayed").size());
    }
  }

  @Test
  void aSeqTheServerNeverIssuedAsksClientsForTheirLogs() throws Exception {
    try (MeetClient a = client()) {
      JsonNode created = create(a, "a", "a", 1);
      String token = created.get("sessionToken").asText();
      a.request(updateMsg(token, 0, "k", 1, 1), "UPDATE_ACK");
      JsonNode serverPull = a.request(pullMsg(token, 40), "SERVER_PULL");
      assertEquals(1, serverPull.get("lastServerSeq").asLong());
      ObjectNode otherEpoch = pullMsg(token, 1).put("serverEpoch", "feedfeedfeedfeed");
      a.request(otherEpoch, "SERVER_PULL");
      a.request(updateMsg(token, 99, "k", 2, 2), "SERVER_PULL");
    }
  }

  @Test
  void resentUpdateIsAckedOnceNotAppliedTwice() throws Exception {
    try (MeetClient a = client()) {
      String token = create(a, "a", "a", 1).get("sessionToken").asText();
      long first = a.request(updateMsg(token, 0, "k", 1, 7), "UPDATE_ACK")
          .at("/updateAcks/0/serverSeqNum").asLong();
      long again = a.request(updateMsg(token, 0, "k", 1, 7), "UPDATE_ACK")
          .at("/updateAcks/0/serverSeqNum").asLong();
      assertEquals(first, again);
      assertEquals(first, pull(a, token, 0).get("lastServerSeq").asLong());
    }
  }
}
