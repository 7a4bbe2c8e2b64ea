package dev.livestate.server.adapter.uisync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A long-polling client that joins a site and then never polls cannot make the server hold
 * more than {@code limits.max-queued} for it: past that its Engine.IO session is closed, so its
 * next poll is told the session is unknown, while the leader and the other followers go on.
 */
class UiSyncPollingBacklogTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String SITE = "backlog";

  @Test
  void aPollerThatStopsPollingIsDroppedOncePastTheCap() throws Exception {
    try (TestServer server = TestServer.start(Map.of("store", "memory",
            "limits.max-queued", "512k"));
        EngineIoClient leader = EngineIoClient.connect(server.port());
        EngineIoClient follower = EngineIoClient.connect(server.port())) {
      String base = server.http("/socket.io/?EIO=4&transport=polling");
      Matcher sid = Pattern.compile("\"sid\":\\s*\"([^\"]+)\"").matcher(get(base).body());
      assertTrue(sid.find());
      String session = base + "&sid=" + sid.group(1);
      assertEquals(200, post(session, "40").statusCode());
      assertEquals(200, post(session, "42[\"join_room\",{\"site\":\"" + SITE + "\"}]")
          .statusCode());
      follower.send(UiSyncAccessTest.join(SITE));
      follower.next(f -> f.startsWith("42[\"confirm_follower_start\""));

      leader.send(UiSyncAccessTest.lead(SITE));
      leader.next(f -> f.startsWith("42[\"confirm_leader_start\""));
      String big = "x".repeat(64 * 1024);
      // 1.3 MB to the site, at the pace the WebSocket follower reads; each change reaches the
      // poller's backlog before the follower's (subscribers are served in the order they came)
      for (int i = 0; i < 20; i++) {
        String key = "k" + i;
        leader.send("42[\"ui_change\",{\"site\":\"" + SITE + "\",\"mutation_name\":\""
            + key + "\",\"new_val\":\"" + big + "\"}]");
        follower.next(f -> f.startsWith("42[\"new_state\",{\"key\":\"" + key + "\""));
      }

      HttpResponse<String> poll = get(session);
      assertEquals(400, poll.statusCode(), poll.body().length() + " bytes: " + poll.body()
          .substring(0, Math.min(200, poll.body().length())));
      assertEquals("{\"code\": 1, \"message\": \"Session ID unknown\"}", poll.body());
      follower.roundTrip();
      leader.roundTrip();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "text/plain;charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
