package dev.livestate.server.adapter.sharedstate;

import static dev.livestate.server.auth.TestTokens.grant;
import static dev.livestate.server.auth.TestTokens.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.protocol.CloseReason;
import dev.livestate.room.Role;
import dev.livestate.server.TestServer;
import dev.livestate.server.auth.TestTokens;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code sharedstate.access=token}: the WebSocket is opened with {@code ?token=} (none or an
 * invalid one: 401 before the upgrade), and each request is checked against the token's grants
 * on {@code sharedstate:/app/service/collection} — reader to GET and subscribe, writer to PUT;
 * and {@code limits.changes-per-second} on the items a PUT updates, open or closed. Refusals
 * are a REPLY with {@code ok:false}; the connection stays.
 */
class SharedStateAccessTest {
  static final String MINE = "/lab/items/mine";
  static final String THEIRS = "/lab/items/theirs";

  private TestServer s;

  private void start(Map<String, String> settings) throws Exception {
    s = TestServer.start(settings);
  }

  private void closed() throws Exception {
    start(TestTokens.tokenMode("sharedstate.access", "token", "store", "memory"));
  }

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  static Map<String, Object> insert(String id, int value) {
    return Map.of("insert", List.of(Map.of("id", id, "data", value)));
  }

  static void assertRefused(JsonNode reply, String says) {
    assertFalse(reply.path("ok").asBoolean(), reply.toString());
    assertTrue(reply.path("data").asText().contains(says), reply.toString());
  }

  @Test
  void withoutAValidTokenTheUpgradeIsRefused() throws Exception {
    closed();
    assertEquals(401, s.upgradeStatus("/sharedstate"));
    assertEquals(401, s.upgradeStatus("/sharedstate?token=forged"));
    assertEquals(401, s.upgradeStatus("/sharedstate?token=" + TestTokens.unsigned("eve")));
  }

  @Test
  void aTokenForAnotherCollectionReadsAndWritesOnlyItsOwn() throws Exception {
    closed();
    String mine = token("me", grant("sharedstate:" + MINE, Role.WRITER, 0));
    try (SharedStateClient c = SharedStateClient.connect(s, "/sharedstate?token=" + mine)) {
      assertRefused(c.get(THEIRS), "no grant");
      assertRefused(c.put(THEIRS, insert("x", 1)), "no grant");
      assertRefused(c.put("/subs", Map.of("insert", List.of(List.of(MINE, Map.of()),
          List.of(THEIRS, Map.of())))), "subscriptions unchanged");
      assertEquals(0, c.get("/subs").path("data").size(), "no subscription was made");
      assertTrue(c.put(MINE, insert("x", 1)).path("ok").asBoolean());
      assertEquals(1, c.get(MINE).path("data").size());
    }
  }

  @Test
  void aReaderGetsAndSubscribesButDoesNotWrite() throws Exception {
    closed();
    String writer = token("w", grant("sharedstate:/lab/*", Role.WRITER, 0));
    String reader = token("r", grant("sharedstate:" + MINE, Role.READER, 0));
    try (SharedStateClient w = SharedStateClient.connect(s, "/sharedstate?token=" + writer);
        SharedStateClient r = SharedStateClient.connect(s, "/sharedstate?token=" + reader)) {
      assertTrue(r.subscribe(MINE).path("ok").asBoolean());
      assertRefused(r.put(MINE, insert("forged", 1)), "reader");
      assertTrue(w.put(MINE, insert("x", 1)).path("ok").asBoolean());
      r.await(n -> SharedStateClient.isNotify(n, MINE)
          && n.path("data").path("insert").toString().contains("\"x\""));
      assertEquals(1, r.get(MINE).path("data").size(), "only the writer's item is there");
    }
  }

  @Test
  void aConnectionIsClosedWhenItsTokenExpires() throws Exception {
    closed();
    String brief = token("brief", null, Instant.now().plusSeconds(2),
        grant("sharedstate:" + MINE, Role.READER, 0));
    try (SharedStateClient c = SharedStateClient.connect(s, "/sharedstate?token=" + brief)) {
      assertTrue(c.subscribe(MINE).path("ok").asBoolean());
      assertEquals(CloseReason.TOKEN_EXPIRED.code(), c.ws.awaitClose(10_000));
    }
  }

  @Test
  void aConnectionUpdatingTooManyItemsIsRefusedAndStays() throws Exception {
    start(Map.of("store", "memory", "limits.changes-per-second", "1"));
    try (SharedStateClient c = SharedStateClient.connect(s)) {
      Map<String, Object> three = Map.of("insert", List.of(Map.of("id", "a", "data", 1),
          Map.of("id", "b", "data", 2), Map.of("id", "c", "data", 3)));
      assertTrue(c.put(MINE, three).path("ok").asBoolean(),
          "an update larger than the whole allowance goes through while the allowance is full");
      int accepted = 0;
      JsonNode refused = null;
      while (refused == null && accepted < 10) {
        JsonNode reply = c.put(MINE, insert("n" + accepted, accepted));
        if (reply.path("ok").asBoolean()) {
          accepted++;
        } else {
          refused = reply;
        }
      }
      assertRefused(refused, "rate limited");
      assertEquals(3 + accepted, c.get(MINE).path("data").size(),
          "the refused update left nothing, and the connection is read again");
    }
  }
}
