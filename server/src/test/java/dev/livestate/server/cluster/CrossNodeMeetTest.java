package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.server.ChildServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A live meet (seed 003, OpenLifter) whose two locations are on two nodes of a cluster: the
 * platform, on node a, records the referees' decision and the ranking; the warm-up room, on
 * node b, is relayed both as the platform sends them and pulls the same state, whichever
 * location created the meet.
 */
class CrossNodeMeetTest extends TwoNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "correct horse battery";

  @Override
  protected String[] settings() {
    // the cheapest password hashing the server accepts, so joins take milliseconds
    return new String[] {"--meet-scrypt-log2n", "10"};
  }

  private static WebSocketClient connect(ChildServer node) throws Exception {
    return WebSocketClient.connect("ws://127.0.0.1:" + node.port() + "/meet");
  }

  private static ObjectNode msg(String type) {
    return JSON.createObjectNode().put("msgType", type);
  }

  /** Sends {@code m} and takes the next message of type {@code answer}, or fails on an error. */
  private static JsonNode request(WebSocketClient ws, ObjectNode m, String answer) {
    ws.send(m.toString());
    JsonNode reply = ws.await(r -> r.path("msgType").asText().equals(answer)
        || List.of("JOIN_REJECTED", "INVALID_SESSION", "UPDATE_REJECTED", "MALFORMED_MESSAGE")
            .contains(r.path("msgType").asText()));
    assertEquals(answer, reply.path("msgType").asText(), reply.toString());
    return reply;
  }

  /** CREATE_MEET from location {@code here}; its MEET_CREATED. */
  private static JsonNode create(WebSocketClient ws, String here) {
    ObjectNode m = msg("CREATE_MEET").put("thisLocationName", here).put("password", PASSWORD);
    ArrayNode endpoints = m.putArray("endpoints");
    endpoints.addObject().put("locationName", "platform").put("priority", 2);
    endpoints.addObject().put("locationName", "warmup").put("priority", 1);
    return request(ws, m, "MEET_CREATED");
  }

  private static String join(WebSocketClient ws, String meetId, String location) {
    return request(ws, msg("JOIN_MEET").put("meetId", meetId).put("password", PASSWORD)
        .put("locationName", location), "MEET_JOINED").get("sessionToken").asText();
  }

  /** UPDATE_INIT of {@code key → value} as change {@code localSeq}; the server seq it got. */
  private static long update(WebSocketClient ws, String token, long localSeq, String key,
      String valueJson) throws Exception {
    ObjectNode m = msg("UPDATE_INIT").put("sessionToken", token);
    m.putArray("updates").addObject().put("updateKey", key)
        .<ObjectNode>set("updateValue", JSON.readTree(valueJson))
        .put("localSeqNum", localSeq).put("afterServerSeqNum", 0);
    JsonNode ack = request(ws, m, "UPDATE_ACK");
    return ack.at("/updateAcks/0/serverSeqNum").asLong();
  }

  /** The meet's state as a full CLIENT_PULL on {@code ws} gives it. */
  private static Map<String, JsonNode> pulled(WebSocketClient ws, String token) {
    ws.send(msg("CLIENT_PULL").put("sessionToken", token).put("lastServerSeq", 0).toString());
    JsonNode pull = ws.await(m -> m.path("pulled").asBoolean());
    Map<String, JsonNode> state = new LinkedHashMap<>();
    pull.get("updatesRelayed").forEach(u -> state.put(u.get("updateKey").asText(),
        u.get("updateValue")));
    return state;
  }

  @ParameterizedTest(name = "the meet created by the {0}")
  @ValueSource(strings = {"platform", "warmup"})
  void theWarmupRoomOnTheOtherNodeSeesTheRefereesDecisionAndTheRanking(String creator)
      throws Exception {
    try (WebSocketClient platform = connect(a); WebSocketClient warmup = connect(b)) {
      String meetId;
      String platformToken;
      String warmupToken;
      if (creator.equals("platform")) {
        JsonNode created = create(platform, "platform");
        meetId = created.get("meetId").asText();
        platformToken = created.get("sessionToken").asText();
        warmupToken = join(warmup, meetId, "warmup");
      } else {
        JsonNode created = create(warmup, "warmup");
        meetId = created.get("meetId").asText();
        warmupToken = created.get("sessionToken").asText();
        platformToken = join(platform, meetId, "platform");
      }
      assertTrue(TestCluster.owns(creator.equals("platform") ? a : b, "meet:" + meetId),
          "the " + creator + "'s node decides the meet");

      int from = warmup.count();
      long decision = update(platform, platformToken, 1, "lifting.decisions.lifter7.squat2",
          "[\"good\",\"good\",\"no lift\"]");
      long ranking = update(platform, platformToken, 2, "results.ranking",
          "[\"lifter7\",\"lifter3\",\"lifter1\"]");
      assertEquals(decision + 1, ranking);

      JsonNode relayed = warmup.awaitFrom(from, m -> m.path("msgType").asText()
          .equals("UPDATE_RELAY") && m.toString().contains("results.ranking"));
      Map<String, JsonNode> seen = new LinkedHashMap<>();
      for (JsonNode m : warmup.messages().subList(from, warmup.messages().indexOf(relayed) + 1)) {
        if (m.path("msgType").asText().equals("UPDATE_RELAY")) {
          m.get("updatesRelayed").forEach(u -> seen.put(u.get("updateKey").asText(),
              u.get("updateValue")));
        }
      }
      assertEquals(JSON.readTree("[\"good\",\"good\",\"no lift\"]"),
          seen.get("lifting.decisions.lifter7.squat2"), "the referees' decision: " + seen);
      assertEquals(JSON.readTree("[\"lifter7\",\"lifter3\",\"lifter1\"]"),
          seen.get("results.ranking"), "the ranking: " + seen);
      assertEquals(pulled(platform, platformToken), pulled(warmup, warmupToken),
          "both locations pull the same meet");
    }
  }
}
