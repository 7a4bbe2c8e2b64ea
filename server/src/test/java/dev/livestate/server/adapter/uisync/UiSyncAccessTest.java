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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code uisync.access=token}: a client connects with a token (Socket.IO {@code auth: {token}}
 * or {@code ?token=}) and each event is checked against its grants on {@code uisync:<site>};
 * and {@code limits.changes-per-second} on {@code ui_change}, open or closed. Refusals are the
 * protocol's {@code error} event; the connection stays. Each test uses sites of its own.
 */
class UiSyncAccessTest {
  @RegisterExtension
  static final TestServer closed =
      TestServer.perClass(TestTokens.tokenMode("uisync.access", "token", "store", "memory"));

  /** Connects with {@code token} in the Socket.IO auth object, through confirm_connect. */
  static EngineIoClient connect(String token) throws Exception {
    EngineIoClient c = EngineIoClient.open(closed.port(), true, "");
    c.send("40{\"token\":\"" + token + "\"}");
    c.next(f -> f.startsWith("42[\"confirm_connect\""));
    return c;
  }

  /** The confirm_connect a client connecting with {@code token} gets. */
  static String confirmConnect(String token) throws Exception {
    try (EngineIoClient c = EngineIoClient.open(closed.port(), true, "")) {
      c.send("40{\"token\":\"" + token + "\"}");
      return c.next(f -> f.startsWith("42[\"confirm_connect\""));
    }
  }

  static String join(String site) {
    return "42[\"join_room\",{\"site\":\"" + site + "\"}]";
  }

  static String lead(String site) {
    return "42[\"new_leader\",\"{\\\"site\\\":\\\"" + site + "\\\",\\\"full_state_snapshot\\\":"
        + "{\\\"k\\\":0},\\\"leader\\\":{\\\"name\\\":\\\"Ann\\\"}}\"]";
  }

  static String change(String site, int value) {
    return "42[\"ui_change\",{\"site\":\"" + site + "\",\"mutation_name\":\"k\",\"new_val\":"
        + value + "}]";
  }

  /**
   * Waits for the error event that turns {@code c} away ({@code event: connect}, saying
   * {@code why}) and the disconnect after it.
   */
  static void assertTurnedAway(EngineIoClient c, String why) {
    String refused = c.next(f -> f.startsWith("42[\"error\""));
    assertTrue(refused.contains("\"event\":\"connect\"") && refused.contains(why), refused);
    c.next(f -> f.startsWith("41"));
  }

  /** Whether {@code frame} is an error event refusing {@code event} on {@code site}. */
  static boolean refused(String frame, String event, String site, String reason) {
    return frame.startsWith("42[\"error\",{\"event\":\"" + event + "\",\"site\":\"" + site
        + "\",\"reason\":\"" + reason + "\"");
  }

  @Test
  void withoutAValidTokenTheConnectionIsToldWhyAndDisconnected() throws Exception {
    for (String connect : new String[] {"40", "40{\"token\":\"not a token\"}",
        "40{\"token\":\"" + TestTokens.unsigned("eve") + "\"}"}) {
      try (EngineIoClient c = EngineIoClient.open(closed.port(), true, "")) {
        c.send(connect);
        assertTurnedAway(c, "unauthorized");
      }
    }
  }

  @Test
  void aTokenForAnotherSiteIsRefusedOnThatSiteOnly() throws Exception {
    try (EngineIoClient c = connect(token("ann", grant("uisync:own-1", Role.LEADER, 0)))) {
      c.send(join("other-1"));
      c.next(f -> refused(f, "join_room", "other-1", "forbidden"));
      c.send(lead("other-1"));
      c.next(f -> refused(f, "new_leader", "other-1", "forbidden"));
      c.send(join("own-1"));
      c.next(f -> f.equals("42[\"confirm_follower_start\",{\"site\":\"own-1\"}]"));
    }
  }

  @Test
  void aReaderFollowsButMayNeitherLeadNorChange() throws Exception {
    try (EngineIoClient reader = connect(token("rita", grant("uisync:read-2", Role.READER, 0)))) {
      reader.send(join("read-2"));
      reader.next(f -> f.startsWith("42[\"confirm_follower_start\""));
      reader.send(lead("read-2"));
      reader.next(f -> refused(f, "new_leader", "read-2", "forbidden"));
      reader.send(change("read-2", 1));
      reader.next(f -> refused(f, "ui_change", "read-2", "forbidden"));
      reader.roundTrip();
    }
  }

  @Test
  void theRightGrantsLeadAndFollowWithTheTokenInAuthOrInTheQuery() throws Exception {
    String followerToken = token("fred", grant("uisync:lead-3", Role.READER, 0));
    try (EngineIoClient leader = connect(token("ann", grant("uisync:*", Role.LEADER, 0)));
        EngineIoClient follower =
            EngineIoClient.open(closed.port(), true, "&token=" + followerToken)) {
      follower.send("40");
      follower.next(f -> f.startsWith("42[\"confirm_connect\""));
      follower.send(join("lead-3"));
      follower.next(f -> f.startsWith("42[\"confirm_follower_start\""));
      leader.send(lead("lead-3"));
      leader.next(f -> f.startsWith("42[\"confirm_leader_start\""));
      follower.next(f -> f.startsWith("42[\"full_state_snapshot\""));
      leader.send(change("lead-3", 7));
      follower.next(f -> f.equals("42[\"new_state\",{\"key\":\"k\",\"new_val\":7}]"));
    }
  }

  @Test
  void aClientSeesTheLeadersOfOnlyTheSitesItMayFollow() throws Exception {
    try (EngineIoClient leader = connect(token("sam", grant("uisync:hidden-4", Role.LEADER, 0)))) {
      leader.send(lead("hidden-4"));
      leader.next(f -> f.startsWith("42[\"confirm_leader_start\""));
      assertTrue(confirmConnect(token("sid", grant("uisync:hidden-4", Role.READER, 0)))
          .contains("\"hidden-4\":\"Ann\""));
      String elsewhere = confirmConnect(token("mo", grant("uisync:elsewhere-4", Role.READER, 0)));
      assertFalse(elsewhere.contains("hidden-4"), elsewhere);
    }
  }

  @Test
  void aClientIsToldAndDisconnectedWhenItsTokenExpires() throws Exception {
    String brief = TestTokens.token("brief", null, Instant.now().plusSeconds(2),
        grant("uisync:brief-5", Role.READER, 0));
    try (EngineIoClient c = connect(brief)) {
      c.send(join("brief-5"));
      c.next(f -> f.startsWith("42[\"confirm_follower_start\""));
      assertTurnedAway(c, "expired");
    }
  }

  @Test
  void aLeaderFloodingChangesIsRateLimitedAndKeepsItsConnection() throws Exception {
    try (TestServer open = TestServer.start(Map.of("store", "memory",
            "limits.changes-per-second", "1"));
        EngineIoClient leader = EngineIoClient.connect(open.port())) {
      leader.send(lead("flood"));
      leader.next(f -> f.startsWith("42[\"confirm_leader_start\""));
      for (int i = 0; i < 10; i++) {
        leader.send(change("flood", i));
      }
      leader.next(f -> refused(f, "ui_change", "flood", "rate_limited"));
      leader.roundTrip();
    }
  }
}
