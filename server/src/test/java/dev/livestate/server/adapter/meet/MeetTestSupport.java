package dev.livestate.server.adapter.meet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.server.TestServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Starting a real server and speaking the meet protocol to it in tests. */
final class MeetTestSupport {
  static final String PASSWORD = "correct horse battery";

  private MeetTestSupport() {}

  /**
   * {@code extra} over the cheapest password hashing the server accepts (scrypt at 2^10, not the
   * default 2^15), so a test's many joins take milliseconds.
   */
  static Map<String, String> settings(Map<String, String> extra) {
    Map<String, String> s = new HashMap<>();
    s.put("meet.scrypt-log2n", "10");
    s.putAll(extra);
    return s;
  }

  /** A server on {@code dataDir} with these {@link #settings}. */
  static TestServer start(Path dataDir, Map<String, String> extra) throws Exception {
    return TestServer.start(dataDir, settings(extra));
  }

  /** CREATE_MEET with locations given as name, priority, name, priority, ... */
  static JsonNode create(MeetClient c, String here, Object... locations) {
    ObjectNode m = MeetClient.msg("CREATE_MEET").put("thisLocationName", here)
        .put("password", PASSWORD);
    ArrayNode list = m.putArray("endpoints");
    for (int i = 0; i < locations.length; i += 2) {
      list.addObject().put("locationName", (String) locations[i])
          .put("priority", (Integer) locations[i + 1]);
    }
    return c.request(m, "MEET_CREATED");
  }

  static ObjectNode joinMsg(String meetId, String location) {
    return MeetClient.msg("JOIN_MEET").put("meetId", meetId).put("Password", PASSWORD)
        .put("locationName", location);
  }

  static String join(MeetClient c, String meetId, String location) {
    return c.request(joinMsg(meetId, location), "MEET_JOINED").get("sessionToken").asText();
  }

  static ObjectNode updateMsg(String token, long after, Object... keyValueLocal) {
    ObjectNode m = MeetClient.msg("UPDATE_INIT").put("sessionToken", token);
    ArrayNode list = m.putArray("updates");
    for (int i = 0; i < keyValueLocal.length; i += 3) {
      ObjectNode u = list.addObject().put("updateKey", (String) keyValueLocal[i]);
      u.set("updateValue", MeetClient.JSON.valueToTree(keyValueLocal[i + 1]));
      u.put("localSeqNum", ((Number) keyValueLocal[i + 2]).longValue())
          .put("afterServerSeqNum", after);
    }
    return m;
  }

  static ObjectNode pullMsg(String token, long last) {
    return MeetClient.msg("CLIENT_PULL").put("sessionToken", token).put("lastServerSeq", last);
  }

  static JsonNode pull(MeetClient c, String token, long last) {
    int from = c.count();
    c.send(pullMsg(token, last));
    return c.await(from, m -> m.path("pulled").asBoolean());
  }

  /** The meet's state as the server has it: the fold of a full pull. */
  static Map<String, JsonNode> state(MeetClient c, String token) {
    Map<String, JsonNode> state = new LinkedHashMap<>();
    for (JsonNode u : pull(c, token, 0).get("updatesRelayed")) {
      state.put(u.get("updateKey").asText(), u.get("updateValue"));
    }
    return state;
  }
}
