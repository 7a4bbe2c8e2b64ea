package dev.livestate.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.TestServer;
import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One room of each compatibility surface, made through that surface by its real protocol, with
 * a client of the surface listening to it: a UI sync follower, a status subscriber, a shared-state
 * subscriber, a second meet location, and a Supersynk client. {@link #assertOwnersHeardNothing}
 * proves that none of them was sent anything since {@link #mark}: each surface is sent one more
 * change of its own, and it must be the first thing its listener gets.
 */
final class SurfaceRooms implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SITE = "door";
  static final String COLLECTION = "/app/items/door";
  static final String CHANNEL = "door";
  private static final String MEET_PASSWORD = "a meet password";

  private final TestServer server;
  private final List<WebSocketClient> open = new ArrayList<>();
  private final WebSocketClient uiLeader;
  private final WebSocketClient uiFollower;
  private final WebSocketClient statusSubscriber;
  private final WebSocketClient sharedWriter;
  private final WebSocketClient sharedSubscriber;
  private final WebSocketClient meetDirector;
  private final WebSocketClient meetTable;
  private final String meetId;
  private final String directorToken;
  private int sentinel;
  private int[] marks;

  SurfaceRooms(TestServer server) throws Exception {
    this.server = server;
    uiLeader = engineIo();
    uiLeader.send("42[\"new_leader\"," + JSON.writeValueAsString(JSON.writeValueAsString(Map.of(
        "site", SITE, "full_state_snapshot", Map.of("a", 1), "leader", Map.of("name", "L")))) + "]");
    uiLeader.nextText(t -> t.startsWith("42[\"confirm_leader_start\""));
    uiFollower = engineIo();
    uiFollower.send("42[\"join_room\",{\"site\":\"" + SITE + "\"}]");
    uiFollower.nextText(t -> t.startsWith("42[\"full_state_snapshot\""));

    statusSubscriber = track(server.socket("/logs/ws?site=" + SITE));
    assertEquals(200, server.post("/logs/newlog",
        "{\"site\":\"" + SITE + "\",\"log_message\":\"first\"}").statusCode());
    statusSubscriber.next();

    sharedWriter = track(server.socket("/sharedstate"));
    sharedSubscriber = track(server.socket("/sharedstate"));
    sharedRequest(sharedWriter, "PUT", COLLECTION, Map.of("insert", List.of(Map.of("id", "a"))));
    sharedRequest(sharedSubscriber, "PUT", "/subs",
        Map.of("insert", List.of(List.of(COLLECTION, Map.of()))));
    sharedSubscriber.await(n -> "NOTIFY".equals(n.path("cmd").asText()));

    meetDirector = track(server.socket("/meet"));
    meetDirector.send(Map.of("msgType", "CREATE_MEET", "thisLocationName", "director",
        "password", MEET_PASSWORD, "endpoints", List.of(
            Map.of("locationName", "director", "priority", 2),
            Map.of("locationName", "table", "priority", 1))));
    JsonNode created = meetDirector.await(m -> "MEET_CREATED".equals(m.path("msgType").asText()));
    meetId = created.get("meetId").asText();
    directorToken = created.get("sessionToken").asText();
    meetTable = track(server.socket("/meet"));
    meetTable.send(Map.of("msgType", "JOIN_MEET", "meetId", meetId, "password", MEET_PASSWORD,
        "locationName", "table"));
    meetTable.await(m -> "MEET_JOINED".equals(m.path("msgType").asText()));

    assertEquals(200, server.post("/synk/" + CHANNEL,
        "{\"c\":\"ada\",\"d\":[{\"k\":\"pos\",\"v\":\"1 2 3\"}]}").statusCode());
  }

  /** Every surface's room, by name. */
  List<String> rooms() {
    return List.of("uisync:" + SITE, "userstatus:" + SITE, "sharedstate:" + COLLECTION,
        "meet:" + meetId, "synk:" + CHANNEL);
  }

  String meetRoom() {
    return "meet:" + meetId;
  }

  /** From now on, the listeners must hear nothing but their own surfaces' next changes. */
  void mark() {
    marks = new int[] {uiFollower.count(), statusSubscriber.count(), sharedSubscriber.count(),
        meetTable.count()};
  }

  /** The listening meet location (it hears the room's changes as UPDATE_RELAY). */
  WebSocketClient meetListener() {
    return meetTable;
  }

  void assertOwnersHeardNothing() throws Exception {
    int n = ++sentinel;
    uiLeader.send("42[\"ui_change\",{\"site\":\"" + SITE + "\",\"mutation_name\":\"sentinel\","
        + "\"new_val\":" + n + "}]");
    String first = firstText(uiFollower, marks[0], t -> t.startsWith("42[\"new_state\""));
    assertTrue(first.contains("\"sentinel\""), "UI sync follower heard: " + first);

    server.post("/logs/newlog", "{\"site\":\"" + SITE + "\",\"log_message\":\"sentinel " + n + "\"}");
    JsonNode status = statusSubscriber.awaitFrom(marks[1], m -> true);
    assertEquals("sentinel " + n, status.path("message").asText(), "status subscriber heard");

    sharedRequest(sharedWriter, "PUT", COLLECTION,
        Map.of("insert", List.of(Map.of("id", "sentinel" + n))));
    JsonNode notify = sharedSubscriber.awaitFrom(marks[2],
        m -> "NOTIFY".equals(m.path("cmd").asText()));
    assertTrue(notify.toString().contains("sentinel" + n), "shared-state subscriber heard " + notify);

    meetDirector.send(Map.of("msgType", "UPDATE_INIT", "sessionToken", directorToken,
        "updates", List.of(Map.of("updateKey", "sentinel", "updateValue", n,
            "localSeqNum", n, "afterServerSeqNum", 0))));
    JsonNode relay = meetTable.awaitFrom(marks[3],
        m -> "UPDATE_RELAY".equals(m.path("msgType").asText()));
    assertTrue(relay.toString().contains("sentinel"), "meet location heard " + relay);

    String channel = server.get("/synk/" + CHANNEL).body();
    assertEquals(JSON.readTree("[{\"c\":\"ada\",\"d\":[{\"k\":\"pos\",\"v\":\"1 2 3\"}]}]"),
        JSON.readTree(channel), "only the channel's own client wrote to it");
    mark();
  }

  private WebSocketClient engineIo() throws Exception {
    WebSocketClient ws = track(server.socket("/socket.io/?EIO=4&transport=websocket"));
    ws.nextText(t -> t.startsWith("0{"));
    ws.send("40");
    ws.nextText(t -> t.startsWith("40{"));
    return ws;
  }

  private static void sharedRequest(WebSocketClient ws, String cmd, String path, Object arg) {
    int tunnel = ws.count() + 7_000;
    ws.send(Map.of("type", "REQUEST", "cmd", cmd, "path", path, "arg", arg, "tunnel", tunnel));
    JsonNode reply = ws.await(n -> "REPLY".equals(n.path("type").asText())
        && n.path("tunnel").asInt() == tunnel);
    assertTrue(reply.path("ok").asBoolean(), reply.toString());
  }

  /** The first text frame from position {@code from} on that matches, once one has come. */
  private static String firstText(WebSocketClient ws, int from, Predicate<String> p) {
    ws.nextText(p);
    List<String> texts = ws.texts();
    for (int i = from; i < texts.size(); i++) {
      if (p.test(texts.get(i))) {
        return texts.get(i);
      }
    }
    throw new AssertionError("nothing matching after " + from + ": " + texts);
  }

  private WebSocketClient track(WebSocketClient ws) {
    open.add(ws);
    return ws;
  }

  @Override
  public void close() {
    open.forEach(WebSocketClient::close);
  }
}
