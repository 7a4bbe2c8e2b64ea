package dev.livestate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.conflict.ConflictPolicy;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import dev.livestate.room.Position;
import dev.livestate.room.Role;
import dev.livestate.room.RoomConfig;
import dev.livestate.room.Takeover;
import dev.livestate.room.WriteAccess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a client encodes, the server's codec reads back as the same request. */
class RequestEncoderTest {
  private final RequestCodec codec = new RequestCodec(new ObjectMapper());

  private void assertReadBack(Request request) {
    assertEquals(request, codec.decode(RequestEncoder.encode(request)));
  }

  @Test
  void everyRequestIsReadBackAsItWasWritten() {
    assertReadBack(new Request.Hello(1L, "alice", null, "secret"));
    assertReadBack(new Request.Hello("h", null, "ey.token", null));
    assertReadBack(new Request.Leave(2L, "demo"));
    assertReadBack(new Request.Lead(3L, "demo"));
    assertReadBack(new Request.Unlead(4L, "demo"));
    assertReadBack(new Request.SetPresence(5L, "demo", new Json("{\"name\":\"Alice\"}")));
    assertReadBack(new Request.Publish(6L, "demo", new Json("[1,2]"), 1_700_000_000_000L));
    assertReadBack(new Request.Publish(7L, "demo", new Json("\"x\""), null));
    assertReadBack(new Request.History(8L, "demo", 10, 20));
    assertReadBack(new Request.Ping(9L));
    assertReadBack(new Request.Refresh(10L, "ey.fresh"));
  }

  @Test
  void aJoinKeepsItsPositionRoleAndOnlyTheConfigFieldsThatDifferFromTheDefaults() {
    RoomConfig config = RoomConfig.DEFAULT.withPolicy(ConflictPolicy.PRIORITY).withDurable(false)
        .withRetention(50, Duration.ofSeconds(90)).withRetainBytes(4096)
        .withWriteAccess(WriteAccess.LEADER_ONLY).withTakeover(Takeover.REFUSE)
        .withPresenceTimeout(Duration.ofSeconds(5))
        .withStream(Duration.ofSeconds(30), RoomConfig.DEFAULT.streamLimit());
    assertReadBack(new Request.Join(1L, "demo", Role.READER, 3, new Position("e1", 12), config,
        "ey.room"));
    assertReadBack(new Request.Join(2L, "demo", null, null, null, RoomConfig.DEFAULT, null));

    String text = RequestEncoder.encode(
        new Request.Join(3L, "demo", null, null, null, RoomConfig.DEFAULT, null));
    assertEquals("{\"type\":\"join\",\"id\":3,\"room\":\"demo\",\"create\":{}}", text);
  }

  @Test
  void changesKeepTheirSetsDeletesAndResetsAndSeenThrough() {
    Map<String, Json> put = new LinkedHashMap<>();
    put.put("title", new Json("\"Hello\""));
    put.put("old", null);
    Request.Submit submit = new Request.Submit(4L, "demo", List.of(
        new Proposal(1, 0, new Change.Put(put)),
        new Proposal(2, 1, Change.Put.of("gone", null)),
        new Proposal(3, 2, new Change.Reset(Map.of("fresh", new Json("true"))))), 0);
    assertReadBack(submit);
    assertReadBack(new Request.Submit(5L, "demo",
        List.of(new Proposal(9, 0, Change.Put.of("k", new Json("1"))))));
  }
}
