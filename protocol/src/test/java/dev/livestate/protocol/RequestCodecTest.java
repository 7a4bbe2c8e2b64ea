package dev.livestate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.room.Role;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request codec on its own: text in, a request or the error to answer out. */
class RequestCodecTest {
  private final RequestCodec codec = new RequestCodec(new ObjectMapper());

  @Test
  void aBadRequestKeepsItsIdSoTheErrorCanEchoIt() {
    RequestCodec.Failed f = assertThrows(RequestCodec.Failed.class,
        () -> codec.decode("{\"type\":\"fly\",\"id\":7}"));
    assertEquals(7L, f.id());
    assertEquals(ErrorCode.UNKNOWN_TYPE, f.error());

    f = assertThrows(RequestCodec.Failed.class,
        () -> codec.decode("{\"type\":\"leave\",\"id\":\"x\"}"));
    assertEquals("x", f.id());
    assertEquals(ErrorCode.BAD_REQUEST, f.error());
  }

  @Test
  void textThatIsNoJsonObjectHasNoIdToEcho() {
    assertEquals(ErrorCode.INVALID_JSON,
        assertThrows(ProtocolException.class, () -> codec.decode("{\"type\":")).error());
    assertEquals(ErrorCode.BAD_REQUEST,
        assertThrows(ProtocolException.class, () -> codec.decode("[1]")).error());
  }

  @Test
  void theMappersLimitsAreTheCodecs() {
    ObjectMapper shallow = new ObjectMapper(JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(3).build())
        .build());
    String deep = "{\"type\":\"presence\",\"room\":\"r\",\"data\":{\"a\":{\"b\":{\"c\":1}}}}";
    assertEquals(ErrorCode.INVALID_JSON, assertThrows(ProtocolException.class,
        () -> new RequestCodec(shallow).decode(deep)).error());
    assertEquals(new Request.SetPresence(null, "r", new Json("{\"a\":{\"b\":{\"c\":1}}}")),
        codec.decode(deep));
  }

  @Test
  void setWithNullDeletesAndResetLeavesTheKeyOut() {
    Request.Submit s = (Request.Submit) codec.decode("{\"type\":\"submit\",\"room\":\"r\","
        + "\"changes\":[{\"localSeq\":1,\"baseSeq\":0,\"set\":{\"a\":null,\"b\":[1, 2]}},"
        + "{\"localSeq\":2,\"baseSeq\":0,\"reset\":{\"a\":null,\"b\":true}}]}");
    Map<String, Json> put = new HashMap<>();
    put.put("a", null);
    put.put("b", new Json("[1,2]"));
    assertEquals(new Change.Put(put), s.changes().get(0).change());
    assertEquals(new Change.Reset(Map.of("b", new Json("true"))), s.changes().get(1).change());
  }

  @Test
  void aChangeDeletesTheKeysItListsBesideThoseItSets() {
    Request.Submit s = (Request.Submit) codec.decode("{\"type\":\"submit\",\"room\":\"r\","
        + "\"changes\":[{\"localSeq\":1,\"baseSeq\":0,\"set\":{\"b\":1,\"c\":null},"
        + "\"delete\":[\"a\",\"c\"]},"
        + "{\"localSeq\":2,\"baseSeq\":0,\"delete\":[\"x\"]}]}");
    Map<String, Json> put = new LinkedHashMap<>();
    put.put("b", new Json("1"));
    put.put("c", null);
    put.put("a", null);
    Change first = s.changes().get(0).change();
    assertEquals(new Change.Put(put), first);
    assertEquals(List.of("b", "c", "a"), List.copyOf(first.values().keySet()));
    assertEquals(Change.Put.of("x", null), s.changes().get(1).change());
  }

  @Test
  void aChangeNeedsSetOrDeleteOrElseResetAloneAndDeletesNameKeys() {
    for (String fields : List.of("", ",\"reset\":{},\"set\":{}", ",\"reset\":{},\"delete\":[]",
        ",\"set\":[]", ",\"reset\":3", ",\"delete\":{\"a\":\"b\"}", ",\"delete\":\"a\"",
        ",\"delete\":[1]", ",\"set\":{\"a\":1},\"delete\":[\"a\"]")) {
      String request = "{\"type\":\"submit\",\"room\":\"r\",\"changes\":"
          + "[{\"localSeq\":1,\"baseSeq\":0" + fields + "}]}";
      RequestCodec.Failed f = assertThrows(RequestCodec.Failed.class, () -> codec.decode(request),
          request);
      assertEquals(ErrorCode.BAD_REQUEST, f.error(), request);
    }
  }

  @Test
  void aJoinWithoutRoleOrPriorityLeavesThemToThePermitAndAsksForAnExistingRoom() {
    Request.Join j = (Request.Join) codec.decode("{\"type\":\"join\",\"room\":\"r\"}");
    assertNull(j.role(), "the client's permit decides (open mode: writer)");
    assertNull(j.priority());
    assertNull(j.create());
    assertNull(j.since());
    assertNull(j.token());
  }

  @Test
  void helloRefreshAndJoinCarryTokensLongerThanANameMayBe() {
    String token = "x".repeat(4000);
    Request.Hello h = (Request.Hello) codec.decode(
        "{\"type\":\"hello\",\"token\":\"" + token + "\",\"resume\":\"secret secret secret\"}");
    assertEquals(token, h.token());
    assertEquals("secret secret secret", h.resume());
    assertEquals(token, ((Request.Refresh) codec.decode(
        "{\"type\":\"refresh\",\"token\":\"" + token + "\"}")).token());
    Request.Join j = (Request.Join) codec.decode("{\"type\":\"join\",\"room\":\"r\","
        + "\"role\":\"reader\",\"priority\":3,\"token\":\"" + token + "\"}");
    assertEquals(Role.READER, j.role());
    assertEquals(3, j.priority());
    assertEquals(token, j.token());
  }

  @Test
  void aRefreshNeedsATokenAndTokensHaveABound() {
    for (String bad : new String[] {"{\"type\":\"refresh\"}", "{\"type\":\"refresh\",\"token\":\"\"}",
        "{\"type\":\"refresh\",\"token\":7}",
        "{\"type\":\"hello\",\"token\":\"" + "x".repeat(16 * 1024 + 1) + "\"}"}) {
      RequestCodec.Failed f = assertThrows(
          RequestCodec.Failed.class, () -> codec.decode(bad), bad);
      assertEquals(ErrorCode.BAD_REQUEST, f.error());
    }
  }

  @Test
  void aRoomConfigMayBoundItsHistoryInBytesAndASubmitMayConfirmWhatItSaw() {
    Request.Join j = (Request.Join) codec.decode("{\"type\":\"join\",\"room\":\"r\","
        + "\"create\":{\"retainBytes\":1000}}");
    assertEquals(1000, j.create().retainBytes());
    assertEquals(ErrorCode.BAD_REQUEST, assertThrows(RequestCodec.Failed.class,
        () -> codec.decode("{\"type\":\"join\",\"room\":\"r\",\"create\":{\"retainBytes\":-1}}"))
        .error());

    Request.Submit s = (Request.Submit) codec.decode("{\"type\":\"submit\",\"room\":\"r\","
        + "\"seenThrough\":4,\"changes\":[{\"localSeq\":5,\"baseSeq\":0,\"set\":{}}]}");
    assertEquals(4, s.seenThrough());
    assertEquals(Long.MIN_VALUE, ((Request.Submit) codec.decode("{\"type\":\"submit\","
        + "\"room\":\"r\",\"changes\":[{\"localSeq\":5,\"baseSeq\":0,\"set\":{}}]}"))
        .seenThrough(), "nothing confirmed");
  }
}
