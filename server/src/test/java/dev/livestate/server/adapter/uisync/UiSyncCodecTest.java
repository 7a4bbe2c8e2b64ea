package dev.livestate.server.adapter.uisync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.livestate.op.Json;
import dev.livestate.server.http.JsonMapper;
import dev.livestate.server.http.Limits;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** The UI sync codec without sockets: payloads as socket.io-server hands them over. */
class UiSyncCodecTest {
  private final UiSyncCodec codec =
      new UiSyncCodec(JsonMapper.create(new Limits(1 << 20, 64, 1 << 24, 100, 0)));

  private static Object arg(String json) {
    return new JSONArray("[" + json + "]").get(0);
  }

  @Test
  void newLeaderAsTheOriginalJsonStringKeepsLeaderAndExactValues() {
    String payload = "{\"site\":\"mrc\",\"full_state_snapshot\":{\"command_params/mount_ra\":12.340,"
        + "\"off\":false,\"zero\":0,\"empty\":\"\",\"gone\":null},"
        + "\"leader\":{\"admin\":false,\"name\":\"Ann\",\"id\":\"u1\"},\"secret\":\"s\"}";
    var r = assertInstanceOf(UiSyncRequest.NewLeader.class,
        codec.decode("new_leader", new Object[] {payload}));
    assertEquals("mrc", r.site());
    assertEquals("Ann", r.name());
    assertEquals("id:u1", r.identity());
    assertEquals("s", r.secret());
    assertEquals("{\"admin\":false,\"name\":\"Ann\",\"id\":\"u1\"}", r.leader().text());
    assertEquals(new Json("12.340"), r.snapshot().get("command_params/mount_ra"));
    assertEquals(new Json("false"), r.snapshot().get("off"));
    assertEquals(new Json("0"), r.snapshot().get("zero"));
    assertEquals(new Json("\"\""), r.snapshot().get("empty"));
    assertEquals(Json.NULL, r.snapshot().get("gone"), "null is a value, not a delete");
  }

  @Test
  void malformedPayloadsAreInvalidNeverThrown() {
    assertInvalid("join_room", new Object[] {});
    assertInvalid("join_room", new Object[] {arg("{}")});
    assertInvalid("leave_room", new Object[] {42});
    assertInvalid("remove_leader", new Object[] {arg("{\"site\":\"\"}")});
    assertInvalid("new_leader", new Object[] {"{not json"});
    assertInvalid("new_leader", new Object[] {"{\"site\":\"a\",\"leader\":{\"id\":1}}"});
    assertInvalid("new_leader", new Object[] {"{\"site\":\"a\",\"leader\":{\"name\":\"n\"},"
        + "\"full_state_snapshot\":[1]}"});
    assertInvalid("ui_change", new Object[] {arg("{\"mutation_name\":\"k\",\"new_val\":1}")});
    assertInvalid("ui_change", new Object[] {arg("{\"site\":\"a\",\"new_val\":1}")});
    assertInvalid("new_leader", new Object[] {"{\"site\":\"a\",\"leader\":{\"name\":\"n\"},"
        + "\"full_state_snapshot\":{\"k\":4E4444444444444444444}}"});
  }

  @Test
  void uiChangeToNullOrWithoutNewValSetsTheValueNullAndValuesKeepTheirText() {
    var missing = assertInstanceOf(UiSyncRequest.UiChange.class,
        codec.decode("ui_change", new Object[] {arg("{\"site\":\"a\",\"mutation_name\":\"k\"}")}));
    assertEquals(Json.NULL, missing.value());
    var toNull = assertInstanceOf(UiSyncRequest.UiChange.class, codec.decode("ui_change",
        new Object[] {arg("{\"site\":\"a\",\"mutation_name\":\"k\",\"new_val\":null}")}));
    assertEquals(Json.NULL, toNull.value(), "not a delete");
    var nested = assertInstanceOf(UiSyncRequest.UiChange.class, codec.decode("ui_change",
        new Object[] {arg("{\"site\":\"a\",\"mutation_name\":\"k\",\"new_val\":[1.25,{\"x\":\"\"}]}")}));
    assertEquals("[1.25,{\"x\":\"\"}]", nested.value().text());
  }

  @Test
  void unknownEventsAndPingsAreRecognised() {
    assertInstanceOf(UiSyncRequest.Unknown.class, codec.decode("whatever", new Object[] {}));
    assertInstanceOf(UiSyncRequest.MyPing.class, codec.decode("my_ping", new Object[] {}));
  }

  @Test
  void outboundEventsAreSocketIoEventPacketsInEngineIoFrames() {
    Outbound state = codec.newState("user_interface/tab", null);
    assertEquals("2[\"new_state\",{\"key\":\"user_interface/tab\",\"new_val\":null}]",
        state.packet().data);
    assertEquals("42[\"new_state\",{\"key\":\"user_interface/tab\",\"new_val\":null}]",
        new String(state.frame().payload(), StandardCharsets.UTF_8));
    Map<String, Json> snap = new LinkedHashMap<>();
    snap.put("a", new Json("1"));
    snap.put("b", null);
    assertEquals("2[\"full_state_snapshot\",{\"state_snapshot\":{\"a\":1,\"b\":null},"
            + "\"leader\":{\"name\":\"Ann\"}}]",
        codec.fullStateSnapshot(snap, new Json("{\"name\":\"Ann\"}")).packet().data);
    assertEquals("2[\"my_pong\"]", codec.pong().packet().data);
    assertEquals("2[\"all_leaders\",{\"leaders\":{\"mrc\":\"Ann\"}}]",
        codec.allLeaders(Map.of("mrc", "Ann")).packet().data);
  }

  @Test
  void connectAuthTokenIsTheLeaderSecret() {
    assertEquals("t", codec.connectSecret(new JSONObject("{\"token\":\"t\"}")));
    assertNull(codec.connectSecret(null));
  }

  private void assertInvalid(String event, Object[] args) {
    var r = assertInstanceOf(UiSyncRequest.Invalid.class, codec.decode(event, args));
    assertEquals(event, r.event());
    assertEquals(UiSyncError.INVALID_PAYLOAD, r.error());
  }

  @Test
  void aPayloadWithALoneSurrogateAnywhereIsInvalidWithoutEchoingIt() {
    var change = assertInstanceOf(UiSyncRequest.Invalid.class, codec.decode("ui_change",
        new Object[] {new JSONObject(Map.of("site", "s", "mutation_name", "k",
            "new_val", new JSONArray().put(Map.of("\ud800", 1))))}));
    assertEquals(UiSyncError.INVALID_PAYLOAD, change.error());
    assertNull(change.site());
    assertEquals("a string (at /new_val/0/\\uD800) holds half of a UTF-16 surrogate pair, which "
        + "UTF-8 cannot carry", change.message());
    var leader = assertInstanceOf(UiSyncRequest.Invalid.class, codec.decode("new_leader",
        new Object[] {"{\"site\":\"s\\udfff\",\"leader\":{\"name\":\"n\"}}"}));
    assertNull(leader.site());
    assertInstanceOf(UiSyncRequest.JoinRoom.class,
        codec.decode("join_room", new Object[] {new JSONObject(Map.of("site", "s\ud83d\ude00"))}));
  }
}
