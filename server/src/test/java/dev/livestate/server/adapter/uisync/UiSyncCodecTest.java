package dev.livestate.server.adapter.uisync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.livestate.op.Json;
import dev.livestate.server.http.JsonMapper;
import dev.livestate.server.http.Limits;
import io.socket.socketio.server.parser.IOParser;
import io.socket.socketio.server.parser.Packet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
  void aKeyIsEscapedInItsEventAsTheServersJsonWriterEscapesIt() throws Exception {
    String key = "a\"b\\c\n\t\u0001\u007f é\u2028/\ud83d\ude00";
    String quoted = JsonMapper.create(new Limits(1 << 20, 64, 1 << 24, 100, 0))
        .writeValueAsString(key);
    assertEquals("2[\"new_state\",{\"key\":" + quoted + ",\"new_val\":1}]",
        codec.newState(key, new Json("1")).packet().data);
    assertEquals("2[\"full_state_snapshot\",{\"state_snapshot\":{" + quoted + ":1},"
            + "\"leader\":null}]",
        codec.fullStateSnapshot(Map.of(key, new Json("1")), null).packet().data);
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

  @Test
  void anEventReadFromItsPacketIsWhatTheLibrarysDecoderWouldHaveMadeOfIt() {
    for (String packet : List.of(
        "2[\"ui_change\",{\"site\":\"a\",\"mutation_name\":\"k\",\"new_val\":[1.25,{\"x\":\"\"}]}]",
        "2[\"ui_change\",{\"site\":\"a\",\"mutation_name\":\"k\"}]",
        "2[\"ui_change\",{\"site\":\"a\",\"mutation_name\":\"k\",\"new_val\":null}]",
        "2[\"ui_change\",{\"site\":\"a\",\"mutation_name\":\"k\",\"new_val\":\"x\\ud800\"}]",
        "2[\"join_room\",{\"site\":\"mrc\"}]",
        "2[\"join_room\",\"{\\\"site\\\":\\\"mrc\\\"}\"]",
        "2[\"join_room\"]",
        "2[\"join_room\",null]",
        "2[\"leave_room\",42]",
        "2[\"remove_leader\",{\"site\":\"a\"},\"more\",{\"x\":1}]",
        "2[\"new_leader\",\"{\\\"site\\\":\\\"s\\\",\\\"leader\\\":{\\\"name\\\":\\\"n\\\"},"
            + "\\\"full_state_snapshot\\\":{\\\"b\\\":1,\\\"a\\\":null}}\"]",
        "2[\"new_leader\",\"{not json\"]",
        "2[\"my_ping\"]",
        "2[\"whatever\",{\"x\":1}]")) {
      assertEquals(library(packet), codec.readEvent(packet), packet);
    }
  }

  @Test
  void packetsTheCodecDoesNotReadAreLeftToTheLibrary() {
    for (String packet : List.of(
        "0", "1", "3[]", "40", "21[\"my_ping\"]", "2/admin,[\"my_ping\"]", "2[1]", "2[null]",
        "2[\"my_ping\"]trailing", "2[\"join_room\",{\"site\":\"a\",\"site\":\"b\"}]",
        "2[\"join_room\",{site:'a'}]", "2[\"join_room\"", "2[")) {
      assertNull(codec.readEvent(packet), packet);
    }
  }

  @Test
  void aValueReadFromItsPacketKeepsItsKeyOrderAndNumbersAsSent() {
    var change = assertInstanceOf(UiSyncRequest.UiChange.class, codec.readEvent(
        "2[\"ui_change\",{\"site\":\"a\",\"mutation_name\":\"k\","
            + "\"new_val\":{\"zeta\":1.50,\"alpha\":[1.0,{\"y\":0,\"b\":null}],\"mid\":-2}}]"));
    assertEquals("{\"zeta\":1.50,\"alpha\":[1.0,{\"y\":0,\"b\":null}],\"mid\":-2}",
        change.value().text());
  }

  /** What socket.io-server's decoder and socket hand {@link UiSyncCodec#decode} for a packet. */
  private UiSyncRequest library(String packet) {
    List<Packet<?>> decoded = new ArrayList<>();
    IOParser.Decoder decoder = new IOParser.Decoder();
    decoder.onDecoded(decoded::add);
    decoder.add(packet);
    JSONArray data = (JSONArray) decoded.get(0).data;
    Object[] args = new Object[data.length() - 1];
    for (int i = 0; i < args.length; i++) {
      args[i] = data.isNull(i + 1) ? null : data.get(i + 1);
    }
    return codec.decode(data.getString(0), args);
  }
}
