package dev.livestate.server.adapter.uisync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A long-polling Engine.IO session on a server with four event loops, each of its requests on a
 * TCP connection of its own, as a browser behind a proxy that does not keep connections alive
 * makes them: the requests of one session reach different loops, a poll held open on one loop
 * while a POST arrives on another.
 */
class UiSyncEventLoopsTest {
  private static final String POLLING = "/socket.io/?EIO=4&transport=polling";
  private static final Pattern NEW_VAL = Pattern.compile("\"new_state\",\\{[^}]*\"new_val\":(\\d+)");
  private static final int CHANGES = 30;

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("event-loops", "4"));

  @Test
  void pollingFollowerOnFreshConnectionsGetsEveryChangeOnceInOrder() throws Exception {
    String session = openSession();
    assertEquals("ok", post(session, UiSyncAccessTest.join("loops")));
    try (EngineIoClient leader = EngineIoClient.connect(server.port())) {
      leader.send(UiSyncAccessTest.lead("loops"));
      leader.next(f -> f.contains("confirm_leader_start"));
      for (int i = 1; i <= CHANGES; i++) {
        leader.send(UiSyncAccessTest.change("loops", i));
      }
      List<Integer> seen = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!seen.contains(CHANGES) && System.nanoTime() < deadline) {
        Matcher m = NEW_VAL.matcher(get(session));
        while (m.find()) {
          seen.add(Integer.parseInt(m.group(1)));
        }
      }
      assertEquals(IntStream.rangeClosed(1, CHANGES).boxed().toList(), seen,
          "every ui_change reached the polling follower once, in order");
    }
  }

  @Test
  void aPostOnOneConnectionAnswersThePollHeldOnAnother() throws Exception {
    String session = openSession();
    for (int round = 0; round < 8; round++) {
      CompletableFuture<HttpResponse<String>> held = fresh().sendAsync(
          HttpRequest.newBuilder(uri(session)).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("ok", post(session, "42[\"my_ping\"]"));
      String answer = held.get(20, TimeUnit.SECONDS).body();
      if (!answer.contains("my_pong")) {
        // the POST overtook the poll: the pong waits for the next one
        answer = get(session);
      }
      assertTrue(answer.contains("42[\"my_pong\"]"), "round " + round + ": " + answer);
    }
  }

  /** Opens a session through the Socket.IO connect; returns its polling path. */
  private static String openSession() throws Exception {
    String open = get(POLLING);
    assertTrue(open.startsWith("0{"), open);
    String session = POLLING + "&sid=" + open.replaceAll(".*\"sid\": ?\"([^\"]+)\".*", "$1");
    assertEquals("ok", post(session, "40"));
    String connected = get(session);
    if (!connected.contains("confirm_connect")) {
      connected = get(session);
    }
    assertTrue(connected.contains("confirm_connect"), connected);
    return session;
  }

  /** A client of its own, so that the request opens a TCP connection of its own. */
  private static HttpClient fresh() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static URI uri(String path) {
    return URI.create(server.http(path));
  }

  private static String get(String path) throws Exception {
    HttpResponse<String> r = fresh().send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  private static String post(String path, String body) throws Exception {
    HttpResponse<String> r = fresh().send(HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "text/plain;charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }
}
