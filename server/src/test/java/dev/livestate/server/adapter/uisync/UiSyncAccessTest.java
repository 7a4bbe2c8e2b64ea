package dev.livestate.server.adapter.uisync;

import static dev.livestate.server.auth.TestTokens.grant;
import static dev.livestate.server.auth.TestTokens.token;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.room.Role;
import dev.livestate.server.TestServer;
import dev.livestate.server.auth.TestTokens;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code uisync.access=token}: a client connects with a token (Socket.IO {@code auth: {token}}
 * or {@code ?token=}) and each event is checked against its grants on {@code uisync:<site>};
 * and {@code limits.changes-per-second} on {@code ui_change}, open or closed. Refusals are the
 * protocol's {@code error} event; the connection stays.
 */
class UiSyncAccessTest {
  private TestServer server;

  private int start(Map<String, String> settings) throws Exception {
    server = TestServer.start(settings);
    return server.port();
  }

  private int closed() throws Exception {
    return start(TestTokens.tokenMode("uisync.access", "token", "store", "memory"));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Connects with {@code token} in the Socket.IO auth object, through confirm_connect. */
  static EngineIoClient connect(int port, String token) throws Exception {
    EngineIoClient c = EngineIoClient.open(port, true, "");
    c.send("40{\"token\":\"" + token + "\"}");
    c.next(f -> f.startsWith("42[\"confirm_connect\""));
    return c;
  }

  static String lead(String site) {
    return "42[\"new_leader\",\"{\\\"site\\\":\\\"" + site + "\\\",\\\"full_state_snapshot\\\":"
        + "{\\\"k\\\":0},\\\"leader\\\":{\\\"name\\\":\\\"Ann\\\"}}\"]";
  }

  static String change(String site, int value) {
    return "42[\"ui_change\",{\"site\":\"" + site + "\",\"mutation_name\":\"k\",\"new_val\":"
        + value + "}]";
  }

  @Test
  void withoutAValidTokenTheConnectionIsToldWhyAndDisconnected() throws Exception {
    int port = closed();
    for (String connect : new String[] {"40", "40{\"token\":\"not a token\"}",
        "40{\"token\":\"" + TestTokens.unsigned("eve") + "\"}"}) {
      try (EngineIoClient c = EngineIoClient.open(port, true, "")) {
        c.send(connect);
        String refused = c.next(f -> f.startsWith("42[\"error\""));
        assertTrue(refused.contains("\"event\":\"connect\"") && refused.contains("unauthorized"),
            refused);
        c.next(f -> f.startsWith("41"));
        assertFalse(refused.contains("confirm_connect"));
      }
    }
  }

  @Test
  void aTokenForAnotherSiteIsRefusedOnThatSiteOnly() throws Exception {
    int port = closed();
    try (EngineIoClient c = connect(port, token("ann", grant("uisync:mrc", Role.LEADER, 0)))) {
      c.send("42[\"join_room\",{\"site\":\"saf\"}]");
      String refused = c.next(f -> f.startsWith("42[\"error\""));
      assertTrue(refused.contains("\"site\":\"saf\"") && refused.contains("\"reason\":\"forbidden\""),
          refused);
      c.send(lead("saf"));
      c.next(f -> f.startsWith("42[\"error\",{\"event\":\"new_leader\",\"site\":\"saf\""));
      c.send("42[\"join_room\",{\"site\":\"mrc\"}]");
      c.next(f -> f.equals("42[\"confirm_follower_start\",{\"site\":\"mrc\"}]"));
    }
  }

  @Test
  void aReaderFollowsButMayNeitherLeadNorChange() throws Exception {
    int port = closed();
    try (EngineIoClient reader = connect(port, token("rita", grant("uisync:mrc", Role.READER, 0)))) {
      reader.send("42[\"join_room\",{\"site\":\"mrc\"}]");
      reader.next(f -> f.startsWith("42[\"confirm_follower_start\""));
      reader.send(lead("mrc"));
      reader.next(f -> f.startsWith("42[\"error\",{\"event\":\"new_leader\",\"site\":\"mrc\","
          + "\"reason\":\"forbidden\""));
      reader.send(change("mrc", 1));
      reader.next(f -> f.startsWith("42[\"error\",{\"event\":\"ui_change\",\"site\":\"mrc\","
          + "\"reason\":\"forbidden\""));
      reader.roundTrip();
    }
  }

  @Test
  void theRightGrantsLeadAndFollowWithTheTokenInAuthOrInTheQuery() throws Exception {
    int port = closed();
    String followerToken = token("fred", grant("uisync:mrc", Role.READER, 0));
    try (EngineIoClient leader = connect(port, token("ann", grant("uisync:*", Role.LEADER, 0)));
        EngineIoClient follower =
            EngineIoClient.open(port, true, "&token=" + followerToken)) {
      follower.send("40");
      follower.next(f -> f.startsWith("42[\"confirm_connect\""));
      follower.send("42[\"join_room\",{\"site\":\"mrc\"}]");
      follower.next(f -> f.startsWith("42[\"confirm_follower_start\""));
      leader.send(lead("mrc"));
      leader.next(f -> f.startsWith("42[\"confirm_leader_start\""));
      follower.next(f -> f.startsWith("42[\"full_state_snapshot\""));
      leader.send(change("mrc", 7));
      follower.next(f -> f.equals("42[\"new_state\",{\"key\":\"k\",\"new_val\":7}]"));
    }
  }

  @Test
  void aClientSeesTheLeadersOfOnlyTheSitesItMayFollow() throws Exception {
    int port = closed();
    try (EngineIoClient saf = connect(port, token("sam", grant("uisync:saf", Role.LEADER, 0)))) {
      saf.send(lead("saf"));
      saf.next(f -> f.startsWith("42[\"confirm_leader_start\""));
      assertTrue(confirmConnect(port, token("sid", grant("uisync:saf", Role.READER, 0)))
          .contains("\"saf\":\"Ann\""));
      String elsewhere = confirmConnect(port, token("mo", grant("uisync:mrc", Role.READER, 0)));
      assertFalse(elsewhere.contains("saf"), elsewhere);
    }
  }

  /** The confirm_connect a client connecting with {@code token} gets. */
  private static String confirmConnect(int port, String token) throws Exception {
    try (EngineIoClient c = EngineIoClient.open(port, true, "")) {
      c.send("40{\"token\":\"" + token + "\"}");
      return c.next(f -> f.startsWith("42[\"confirm_connect\""));
    }
  }

  @Test
  void aClientIsToldAndDisconnectedWhenItsTokenExpires() throws Exception {
    int port = closed();
    String brief = TestTokens.token("brief", null, Instant.now().plusSeconds(2),
        grant("uisync:mrc", Role.READER, 0));
    try (EngineIoClient c = connect(port, brief)) {
      c.send("42[\"join_room\",{\"site\":\"mrc\"}]");
      c.next(f -> f.startsWith("42[\"confirm_follower_start\""));
      String expired = c.next(f -> f.startsWith("42[\"error\""));
      assertTrue(expired.contains("\"event\":\"connect\"") && expired.contains("expired"),
          expired);
      c.next(f -> f.startsWith("41"));
    }
  }

  @Test
  void aLeaderFloodingChangesIsRateLimitedAndKeepsItsConnection() throws Exception {
    int port = start(Map.of("store", "memory", "limits.changes-per-second", "1"));
    try (EngineIoClient leader = EngineIoClient.connect(port)) {
      leader.send(lead("mrc"));
      leader.next(f -> f.startsWith("42[\"confirm_leader_start\""));
      for (int i = 0; i < 10; i++) {
        leader.send(change("mrc", i));
      }
      leader.next(f -> f.startsWith("42[\"error\",{\"event\":\"ui_change\",\"site\":\"mrc\","
          + "\"reason\":\"rate_limited\""));
      leader.roundTrip();
    }
  }
}
