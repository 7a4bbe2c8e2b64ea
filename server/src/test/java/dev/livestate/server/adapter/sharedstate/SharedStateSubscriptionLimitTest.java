package dev.livestate.server.adapter.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subscriptions per connection are capped by {@code limits.max-rooms-per-connection}; a refused
 * {@code PUT /subs} (too many, or naming an unknown service) leaves the previous subscriptions
 * exactly as they were.
 */
class SharedStateSubscriptionLimitTest {
  @RegisterExtension
  static final TestServer server =
      TestServer.perClass(Map.of("store", "memory", "limits.max-rooms-per-connection", "2"));
  static int counter;

  static SharedStateClient client() throws Exception {
    return SharedStateClient.connect(server);
  }

  static synchronized String fresh() {
    return "/lim" + (++counter) + "/items/coll";
  }

  static Map<String, Object> subs(String... paths) {
    List<List<Object>> insert = new ArrayList<>();
    for (String p : paths) {
      insert.add(List.of(p, Map.of()));
    }
    return Map.of("insert", insert);
  }

  @Test
  void asManySubscriptionsAsTheLimitAreAccepted() throws Exception {
    String a = fresh();
    String b = fresh();
    try (SharedStateClient c = client()) {
      JsonNode r = c.put("/subs", subs(a, b));
      assertTrue(r.path("ok").asBoolean(), r.toString());
      c.awaitFrom(0, n -> SharedStateClient.isNotify(n, a)
          && n.path("data").path("reset").asBoolean());
      c.awaitFrom(0, n -> SharedStateClient.isNotify(n, b)
          && n.path("data").path("reset").asBoolean());
      assertEquals(2, c.get("/subs").path("data").size());
    }
  }

  @Test
  void moreSubscriptionsThanTheLimitAreRefusedAndTheOldOnesStay() throws Exception {
    String kept = fresh();
    String b = fresh();
    String c2 = fresh();
    String d = fresh();
    try (SharedStateClient w = client(); SharedStateClient c = client()) {
      c.subscribe(kept);
      int mark = c.notifications().size();
      JsonNode r = c.put("/subs", subs(b, c2, d));
      assertFalse(r.path("ok").asBoolean(), r.toString());
      assertEquals("too many subscriptions: at most 2", r.path("data").asText());
      assertSubscribedOnlyTo(c, w, mark, kept, b);
    }
  }

  @Test
  void aPutSubsNamingAnUnknownServiceChangesNothing() throws Exception {
    String kept = fresh();
    String b = fresh();
    try (SharedStateClient w = client(); SharedStateClient c = client()) {
      c.subscribe(kept);
      int mark = c.notifications().size();
      JsonNode r = c.put("/subs", subs(b, "/lim/nosuch/coll"));
      assertFalse(r.path("ok").asBoolean(), r.toString());
      assertEquals("no service", r.path("data").asText(), r.toString());
      assertSubscribedOnlyTo(c, w, mark, kept, b);
    }
  }

  /**
   * {@code c} still lists and is notified for {@code kept} only: an update of {@code other}
   * comes first, then one of {@code kept} as the marker; since {@code mark}, c got the marker
   * and nothing else (no reset, nothing of {@code other}).
   */
  private static void assertSubscribedOnlyTo(SharedStateClient c, SharedStateClient w, int mark,
      String kept, String other) throws Exception {
    JsonNode listed = c.get("/subs").path("data");
    assertEquals(1, listed.size(), listed.toString());
    assertEquals(kept, listed.get(0).get(0).asText());
    assertTrue(w.put(other, Map.of("insert", List.of(Map.of("id", "x")))).path("ok").asBoolean());
    assertTrue(w.put(kept, Map.of("insert", List.of(Map.of("id", "marker")))).path("ok")
        .asBoolean());
    JsonNode marker = c.awaitFrom(mark, n -> SharedStateClient.isNotify(n, kept));
    assertFalse(marker.path("data").path("reset").asBoolean(), marker.toString());
    assertEquals("marker", marker.path("data").path("insert").get(0).path("id").asText());
    List<JsonNode> since = c.notifications().subList(mark, c.notifications().size());
    assertEquals(1, since.size(), "only the marker arrived: " + since);
  }
}
