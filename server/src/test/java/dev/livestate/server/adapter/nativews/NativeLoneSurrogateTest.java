package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, fault 1: JSON lets a string hold half a surrogate pair ({@code "\ud800"}), which
 * UTF-8 cannot carry. Such a request is refused with invalid_json before anything is decided, so
 * no subscriber is sent a frame that is not UTF-8 and no name turns into {@code ?} in the store.
 */
class NativeLoneSurrogateTest {
  @TempDir
  Path dataDir;

  @Test
  void aValueWithALoneSurrogateIsRefusedAndTheRoomGoesOnForEveryone() throws Exception {
    try (TestServer server = TestServer.start(Map.of());
        NativeClient subscriber = NativeClient.connect(server.ws("/ws"), "subscriber");
        NativeClient writer = NativeClient.connect(server.ws("/ws"), "writer")) {
      subscriber.join("poisoned", Map.of("create", true));
      writer.join("poisoned", Map.of());
      writer.ws.send("{\"type\":\"submit\",\"id\":\"bad\",\"room\":\"poisoned\",\"changes\":"
          + "[{\"localSeq\":1,\"baseSeq\":0,\"set\":{\"k\":\"x\\ud800\"}}]}");
      JsonNode error = writer.ws.awaitType("error");
      assertEquals("invalid_json", error.path("code").asText(), error.toString());
      assertEquals("bad", error.path("id").asText());
      assertTrue(error.path("message").asText().contains("/changes/0/set/k"), error.toString());

      // the next good op reaches the subscriber, whose connection never dropped
      assertEquals(1, writer.set("poisoned", "k", "fine").path("acks").size());
      JsonNode ops = subscriber.ws.await(n -> n.path("type").asText().equals("ops"));
      assertEquals(1, ops.path("ops").path(0).path("seq").asLong(), ops.toString());
      assertEquals("fine", ops.path("ops").path(0).path("set").path("k").asText());
      assertTrue(subscriber.ws.isOpen());
      try (NativeClient late = NativeClient.connect(server.ws("/ws"), "late")) {
        JsonNode joined = late.join("poisoned", Map.of());
        assertEquals("joined", joined.path("type").asText(), joined.toString());
        assertEquals("fine", late.state.get("k").asText());
      }
    }
  }

  @Test
  void anIdWithALoneSurrogateIsNotEchoed() throws Exception {
    try (TestServer server = TestServer.start(Map.of());
        NativeClient client = NativeClient.connect(server.ws("/ws"), "client")) {
      client.ws.send("{\"type\":\"ping\",\"id\":\"\\udc00\"}");
      JsonNode error = client.ws.awaitType("error");
      assertEquals("invalid_json", error.path("code").asText());
      assertTrue(error.path("id").isMissingNode() || error.path("id").isNull(), error.toString());
      assertEquals("pong", client.request(Map.of("type", "ping")).path("type").asText());
    }
  }

  @Test
  void roomNamesThatDifferOnlyInALoneSurrogateDoNotMergeAcrossARestart() throws Exception {
    try (TestServer server = TestServer.start(dataDir, Map.of());
        NativeClient client = NativeClient.connect(server.ws("/ws"), "client")) {
      for (String half : new String[] {"\\ud800", "\\ud801"}) {
        client.ws.send("{\"type\":\"join\",\"id\":\"" + half.substring(1) + "\",\"room\":\"twin"
            + half + "\",\"create\":true}");
        JsonNode error = client.ws.await(n -> n.path("type").asText().equals("error")
            && n.path("id").asText().equals(half.substring(1)));
        assertEquals("invalid_json", error.path("code").asText(), error.toString());
      }
      // names with whole pairs are kept, each its own room
      client.join("twin\ud83d\ude00", Map.of("create", true));
      client.set("twin\ud83d\ude00", "k", "grin");
      client.join("twin\ud83d\ude01", Map.of("create", true));
      client.set("twin\ud83d\ude01", "k", "smile");
    }
    try (TestServer server = TestServer.start(dataDir, Map.of());
        NativeClient client = NativeClient.connect(server.ws("/ws"), "client")) {
      assertEquals("unknown_room",
          client.join("twin?", Map.of()).path("code").asText(), "no room merged into 'twin?'");
      client.join("twin\ud83d\ude00", Map.of());
      assertEquals("grin", client.state.get("k").asText());
      client.join("twin\ud83d\ude01", Map.of());
      assertEquals("smile", client.state.get("k").asText());
    }
  }
}
