package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.ChildServer;
import dev.livestate.testkit.http.Http;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Status messages (seed 001) on two nodes of a cluster: an observatory posts over HTTP to one
 * node, a browser subscribed over the WebSocket of the other gets each message of its site, in
 * order, and reads the same recent messages there, whichever node the site was made on.
 */
class CrossNodeUserStatusTest extends TwoNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String base(ChildServer node) {
    return "http://127.0.0.1:" + node.port() + "/logs";
  }

  private static void post(ChildServer node, String message, long timestamp) throws Exception {
    HttpResponse<String> r = Http.post(base(node) + "/newlog", "{\"site\":\"sro\",\"log_message\":\""
        + message + "\",\"log_level\":\"warning\",\"timestamp\":" + timestamp + "}");
    assertEquals(200, r.statusCode(), r.body());
  }

  /**
   * Returns once the browser gets messages: the protocol tells a subscriber nothing when its
   * subscription starts, so a warm-up message is posted until one arrives.
   */
  private void subscribed(WebSocketClient browser, long t0) throws Exception {
    long deadline = System.nanoTime() + 8_000_000_000L;
    while (browser.poll() == null) {
      assertTrue(System.nanoTime() < deadline, "the browser on b never got a message");
      post(a, "warm-up", t0);
      Thread.sleep(200);
    }
  }

  @ParameterizedTest(name = "the site made on the {0} node")
  @ValueSource(strings = {"poster's", "subscriber's"})
  void theSubscriberOnOneNodeGetsWhatThePosterSendsToTheOther(String maker) throws Exception {
    long t0 = System.currentTimeMillis() / 1000 - 100;
    if (maker.equals("poster's")) {
      post(a, "dome opening", t0);
    }
    try (WebSocketClient browser = WebSocketClient.connect(
        "ws://127.0.0.1:" + b.port() + "/logs/ws?site=sro")) {
      subscribed(browser, t0);
      assertTrue(TestCluster.owns(maker.equals("poster's") ? a : b, "userstatus:sro"),
          "the " + maker + " node decides the site");

      for (int i = 1; i <= 10; i++) {
        post(a, "line " + i, t0 + i);
      }
      List<String> pushed = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        JsonNode m = browser.await(n -> !n.path("message").asText().equals("warm-up"));
        assertEquals("sro", m.path("site").asText(), m.toString());
        assertEquals("warning", m.path("log_level").asText(), m.toString());
        assertEquals(Long.toString(t0 + i), m.path("timestamp").asText(), m.toString());
        pushed.add(m.path("message").asText());
      }
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        expected.add("line " + i);
      }
      assertEquals(expected, pushed, "each message once, in the order posted");

      JsonNode recent = JSON.readTree(
          Http.get(base(b) + "/recent-logs?site=sro&after_time=" + t0).body());
      List<String> listed = new ArrayList<>();
      recent.forEach(m -> {
        if (m.path("message").asText().startsWith("line ")) {
          listed.add(m.path("message").asText());
        }
      });
      assertEquals(expected, listed, "the subscriber's node lists the recent messages");
    }
  }
}
