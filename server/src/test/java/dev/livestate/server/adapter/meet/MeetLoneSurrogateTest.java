package dev.livestate.server.adapter.meet;

import static dev.livestate.server.adapter.meet.MeetTestSupport.create;
import static dev.livestate.server.adapter.meet.MeetTestSupport.join;
import static dev.livestate.server.adapter.meet.MeetTestSupport.state;
import static dev.livestate.server.adapter.meet.MeetTestSupport.updateMsg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, fault 1, on live meets: a message whose strings hold half a surrogate pair is
 * answered MALFORMED_MESSAGE; the meet goes on for every location, and keys that differ only in
 * such a half never reach the store, so none merge across a restart.
 */
class MeetLoneSurrogateTest {
  @TempDir Path dir;

  static String update(String token, String key, String valueJson) {
    return "{\"msgType\":\"UPDATE_INIT\",\"sessionToken\":\"" + token + "\",\"updates\":[{"
        + "\"updateKey\":\"" + key + "\",\"updateValue\":" + valueJson
        + ",\"localSeqNum\":1,\"afterServerSeqNum\":0}]}";
  }

  static void assertMalformed(MeetClient c, int from) {
    JsonNode refused = c.await(from, m -> MeetClient.is(m, "MALFORMED_MESSAGE"));
    assertTrue(refused.path("errMsg").asText().contains("surrogate"), refused.toString());
  }

  @Test
  void anUpdateWithALoneSurrogateIsMalformedAndTheMeetGoesOn() throws Exception {
    try (TestServer s = MeetTestSupport.start(dir, Map.of());
        MeetClient a = new MeetClient(s.port());
        MeetClient b = new MeetClient(s.port())) {
      JsonNode created = create(a, "a", "a", 1, "b", 1);
      String token = created.get("sessionToken").asText();
      String meetId = created.get("meetId").asText();
      join(b, meetId, "b");
      int fromA = a.count();
      int fromB = b.count();
      a.send(update(token, "lifters", "{\"name\":\"Ann \\ud800\"}"));
      assertMalformed(a, fromA);

      a.send(updateMsg(token, 0, "lifters", "Ann", 1));
      JsonNode ack = a.await(fromA, m -> MeetClient.is(m, "UPDATE_ACK"));
      assertEquals(1, ack.at("/updateAcks/0/serverSeqNum").asLong(), ack.toString());
      JsonNode relay = b.await(fromB, m -> MeetClient.is(m, "UPDATE_RELAY"));
      assertEquals("Ann", relay.at("/updatesRelayed/0/updateValue").asText(), relay.toString());
      assertFalse(b.isClosed());
      try (MeetClient late = new MeetClient(s.port())) {
        assertEquals("Ann", state(late, join(late, meetId, "b")).get("lifters").asText());
      }
    }
  }

  @Test
  void keysThatDifferOnlyInALoneSurrogateDoNotMergeAcrossARestart() throws Exception {
    String meetId;
    try (TestServer s = MeetTestSupport.start(dir, Map.of());
        MeetClient a = new MeetClient(s.port())) {
      JsonNode created = create(a, "a", "a", 1);
      String token = created.get("sessionToken").asText();
      meetId = created.get("meetId").asText();
      for (String half : new String[] {"\\ud800", "\\ud801"}) {
        int from = a.count();
        a.send(update(token, "twin" + half, "1"));
        assertMalformed(a, from);
      }
      a.request(updateMsg(token, 0, "twin\ud83d\ude00", "grin", 1), "UPDATE_ACK");
    }
    try (TestServer s = MeetTestSupport.start(dir, Map.of());
        MeetClient a = new MeetClient(s.port())) {
      Map<String, JsonNode> state = state(a, join(a, meetId, "a"));
      assertEquals(1, state.size(), state.toString());
      assertEquals("grin", state.get("twin\ud83d\ude00").asText());
    }
  }
}
