package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.ChildServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shared-state clients (seed 002) on two nodes of a cluster, over the protocol's own WebSocket:
 * a subscriber on one node sees every update a writer on the other makes, in order, whichever
 * of the two nodes decides the collection's room.
 */
class CrossNodeSharedStateTest extends TwoNodeTest {
  private static final String PATH = "/app/items/telescopes";

  /** A shared-state connection: requests answered on their tunnel, notifications kept. */
  private static final class Client implements AutoCloseable {
    final WebSocketClient ws;
    private final AtomicInteger tunnels = new AtomicInteger(100);

    Client(ChildServer node) throws Exception {
      ws = WebSocketClient.connect("ws://127.0.0.1:" + node.port() + "/sharedstate");
    }

    JsonNode request(String cmd, String path, Object arg) {
      int tunnel = tunnels.incrementAndGet();
      Map<String, Object> request = new HashMap<>(
          Map.of("type", "REQUEST", "cmd", cmd, "path", path, "tunnel", tunnel));
      if (arg != null) {
        request.put("arg", arg);
      }
      ws.send(request);
      JsonNode reply = ws.await(m -> "REPLY".equals(m.path("type").asText())
          && m.path("tunnel").asInt() == tunnel);
      assertTrue(reply.path("ok").asBoolean(), reply.toString());
      return reply;
    }

    JsonNode insert(String id, int value) {
      return request("PUT", PATH, Map.of("insert", List.of(Map.of("id", id, "value", value))));
    }

    List<JsonNode> notifications() {
      return ws.messages().stream().filter(m -> "NOTIFY".equals(m.path("cmd").asText())
          && PATH.equals(m.path("path").asText())).toList();
    }

    @Override
    public void close() {
      ws.close();
    }
  }

  /** The ids of inserted items, or of removed ones (which a notification lists by id). */
  private static List<String> ids(JsonNode items) {
    List<String> ids = new ArrayList<>();
    items.forEach(i -> ids.add(i.isTextual() ? i.asText() : i.path("id").asText()));
    return ids;
  }

  @ParameterizedTest(name = "the collection made on the {0} node")
  @ValueSource(strings = {"writer's", "subscriber's"})
  void aSubscriberOnOneNodeSeesEveryUpdateOfAWriterOnTheOther(String maker) throws Exception {
    try (Client writer = new Client(a); Client subscriber = new Client(b)) {
      if (maker.equals("writer's")) {
        writer.insert("first", 0);
        subscriber.request("PUT", "/subs", Map.of("insert", List.of(List.of(PATH, Map.of()))));
        subscriber.ws.await(m -> subscriber.notifications().size() == 1);
        assertEquals(List.of("first"),
            ids(subscriber.notifications().get(0).at("/data/insert")), "the reset holds it");
      } else {
        subscriber.request("PUT", "/subs", Map.of("insert", List.of(List.of(PATH, Map.of()))));
        subscriber.ws.await(m -> subscriber.notifications().size() == 1);
        writer.insert("first", 0);
      }
      ChildServer owner = maker.equals("writer's") ? a : b;
      assertTrue(TestCluster.owns(owner, "sharedstate:" + PATH),
          "the " + maker + " node decides the room");

      for (int i = 1; i <= 20; i++) {
        writer.insert("t" + i, i);
      }
      writer.request("PUT", PATH, Map.of("remove", List.of("t3")));

      List<String> seen = new ArrayList<>();
      subscriber.ws.awaitMessages(all -> {
        seen.clear();
        for (JsonNode n : subscriber.notifications()) {
          if (!n.at("/data/reset").asBoolean()) {
            ids(n.at("/data/remove")).forEach(id -> seen.add("-" + id));
            ids(n.at("/data/insert")).forEach(seen::add);
          }
        }
        return seen.contains("-t3") ? seen : null;
      });
      List<String> expected = new ArrayList<>();
      if (maker.equals("subscriber's")) {
        expected.add("first");
      }
      for (int i = 1; i <= 20; i++) {
        expected.add("t" + i);
      }
      expected.add("-t3");
      assertEquals(expected, seen, "every update once, in the order the writer made them");

      JsonNode onB = subscriber.request("GET", PATH, null);
      JsonNode onA = writer.request("GET", PATH, null);
      assertEquals(20, onB.path("data").size(), onB.toString());
      assertEquals(onA.path("data"), onB.path("data"), "both nodes answer the same collection");
    }
  }
}
