package dev.livestate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.ChildServer;
import dev.livestate.testkit.await.Await;
import dev.livestate.testkit.http.Http;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Supersynk clients (seed 004) on two nodes of a cluster, over plain HTTP as its clients poll:
 * each client's post is answered with the other clients' latest data, and a channel read on
 * either node lists everyone, whichever node the channel was made on.
 */
class CrossNodeSupersynkTest extends TwoNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Posts {@code client}'s data to the channel on {@code node}; the answer's other clients. */
  private static Map<String, Integer> post(ChildServer node, String client, int position)
      throws Exception {
    HttpResponse<String> r = Http.post("http://127.0.0.1:" + node.port() + "/api/channels/dome",
        "{\"client_id\":\"" + client + "\",\"position\":" + position + "}",
        "Content-Type", "application/json");
    assertEquals(200, r.statusCode(), r.body());
    return positions(JSON.readTree(r.body()));
  }

  /** Every client's position the channel holds, read on {@code node}. */
  private static Map<String, Integer> read(ChildServer node) throws Exception {
    HttpResponse<String> r = Http.get("http://127.0.0.1:" + node.port() + "/api/channels/dome");
    assertEquals(200, r.statusCode(), r.body());
    return positions(JSON.readTree(r.body()));
  }

  private static Map<String, Integer> positions(JsonNode clients) {
    Map<String, Integer> out = new TreeMap<>();
    clients.forEach(c -> out.put(c.path("client_id").asText(), c.path("position").asInt()));
    return out;
  }

  @ParameterizedTest(name = "the channel made on node {0}")
  @ValueSource(strings = {"a", "b"})
  void clientsOnTwoNodesSeeEachOthersLatestData(String maker) throws Exception {
    if (maker.equals("a")) {
      assertEquals(Map.of(), post(a, "ada", 1));
    } else {
      assertEquals(Map.of(), post(b, "joe", 1));
    }
    assertTrue(TestCluster.owns(maker.equals("a") ? a : b, "synk:dome"),
        "node " + maker + " decides the channel");

    // the client that did not make the channel posts first: it sees the maker's data
    if (maker.equals("a")) {
      assertEquals(Map.of("ada", 1), post(b, "joe", 1), "joe, on b, gets ada's data posted on a");
      assertEquals(Map.of("joe", 1), post(a, "ada", 1), "ada, on a, gets joe's data posted on b");
    } else {
      assertEquals(Map.of("joe", 1), post(a, "ada", 1), "ada, on a, gets joe's data posted on b");
      assertEquals(Map.of("ada", 1), post(b, "joe", 1), "joe, on b, gets ada's data posted on a");
    }

    post(a, "ada", 2);
    assertEquals(Map.of("ada", 2), post(b, "joe", 3), "ada's change reaches joe");
    assertEquals(Map.of("joe", 3), post(a, "ada", 2), "joe's change reaches ada");
    Await.until("both nodes list everyone", () -> read(a).equals(Map.of("ada", 2, "joe", 3))
        && read(b).equals(Map.of("ada", 2, "joe", 3)));
  }
}
