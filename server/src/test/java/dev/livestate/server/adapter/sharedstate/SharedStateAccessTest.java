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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code sharedstate.access=token}: the WebSocket is opened with {@code ?token=} (none or an
 * invalid one: 401 before the upgrade), and each request is checked against the token's grants
 * on {@code sharedstate:/app/service/collection} — reader to GET and subscribe, writer to PUT;
 * and {@code limits.changes-per-second} on the items a PUT updates, open or closed. Refusals
 * are a REPLY with {@code ok:false}; the connection stays. Each test uses collections of its own.
 */
class SharedStateAccessTest {
  static final String MINE = "/lab/items/mine";
  static final String THEIRS = "/lab/items/theirs";
  static final String SHARED = "/lab/items/shared";
  static final String BRIEF = "/lab/items/brief";

  @RegisterExtension
  static final TestServer s =
      TestServer.perClass(TestTokens.tokenMode("sharedstate.access", "token", "store", "memory"));

  static Map<String, Object> insert(String id, int value) {
    return Map.of("insert", List.of(Map.of("id", id, "data", value)));
  }

  static void assertRefused(JsonNode reply, String says) {
    assertFalse(reply.path("ok").asBoolean(), reply.toString());
    assertTrue(reply.path("data").asText().contains(says), reply.toString());
  }

  @Test
  void withoutAValidTokenTheUpgradeIsRefused() throws Exception {
    assertEquals(401, s.upgradeStatus("/sharedstate"));
    assertEquals(401, s.upgradeStatus("/sharedstate?token=forged"));
    assertEquals(401, s.upgradeStatus("/sharedstate?token=" + TestTokens.unsigned("eve")));
  }

  @Test
  void aTokenForAnotherCollectionReadsAndWritesOnlyItsOwn() throws Exception {
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
    String writer = token("w", grant("sharedstate:/lab/*", Role.WRITER, 0));
    String reader = token("r", grant("sharedstate:" + SHARED, Role.READER, 0));
    try (SharedStateClient w = SharedStateClient.connect(s, "/sharedstate?token=" + writer);
        SharedStateClient r = SharedStateClient.connect(s, "/sharedstate?token=" + reader)) {
      assertTrue(r.subscribe(SHARED).path("ok").asBoolean());
      assertRefused(r.put(SHARED, insert("forged", 1)), "reader");
      assertTrue(w.put(SHARED, insert("x", 1)).path("ok").asBoolean());
      r.await(n -> SharedStateClient.isNotify(n, SHARED)
          && n.path("data").path("insert").toString().contains("\"x\""));
      assertEquals(1, r.get(SHARED).path("data").size(), "only the writer's item is there");
    }
  }

  @Test
  void aConnectionIsClosedWhenItsTokenExpires() throws Exception {
    String brief = token("brief", null, Instant.now().plusSeconds(2),
        grant("sharedstate:" + BRIEF, Role.READER, 0));
    try (SharedStateClient c = SharedStateClient.connect(s, "/sharedstate?token=" + brief)) {
      assertTrue(c.subscribe(BRIEF).path("ok").asBoolean());
      assertEquals(CloseReason.TOKEN_EXPIRED.code(), c.ws.awaitClose(10_000));
    }
  }

  @Test
  void aConnectionUpdatingTooManyItemsIsRefusedAndStays() throws Exception {
    try (TestServer open = TestServer.start(Map.of("store", "memory",
            "limits.changes-per-second", "1"));
        SharedStateClient c = SharedStateClient.connect(open)) {
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
