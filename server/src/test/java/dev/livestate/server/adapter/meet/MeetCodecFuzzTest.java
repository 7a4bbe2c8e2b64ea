package dev.livestate.server.adapter.meet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.engine.Origin;
import dev.livestate.engine.RoomEvent;
import dev.livestate.op.Change;
import dev.livestate.op.Op;
import dev.livestate.room.Position;
import dev.livestate.server.fuzz.WireAssertions;
import dev.livestate.state.Entry;
import dev.livestate.state.State;
import dev.livestate.sync.CatchUp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Any text frame an OpenLifter client can send: {@link MeetCodec} (built as the server builds
 * it) decodes it or refuses it as {@code MALFORMED_MESSAGE} or {@code UNKNOWN_MESSAGE_TYPE},
 * never anything else; and an UPDATE_INIT's updates come back, as the relay to the other
 * locations, a pull's snapshot and a loser's rejection, as valid UTF-8 JSON with the values it
 * read. Inputs: {@code MeetCodecFuzzTestInputs/}.
 */
class MeetCodecFuzzTest {
  private static final MeetCodec CODEC = new MeetCodec(WireAssertions.serverJson());
  private static final String LOCATION = "Platform A";

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void everyFrameIsDecodedOrRefusedAndItsUpdatesAreRelayedAsRead(byte[] input) {
    String text = WireAssertions.text(input);
    MeetRequest request;
    try {
      request = CODEC.decode(text);
    } catch (MeetCodec.Malformed refused) {
      JsonNode reply = message(MeetMessages.malformed(refused.getMessage()), "MALFORMED_MESSAGE");
      assertEquals(refused.getMessage(), reply.path("errMsg").textValue());
      return;
    } catch (MeetCodec.UnknownType refused) {
      JsonNode reply = message(MeetMessages.unknownType(refused.msgType), "UNKNOWN_MESSAGE_TYPE");
      assertEquals(refused.msgType, reply.path("unknownMsgType").textValue());
      return;
    }
    WireAssertions.assertNoLoneSurrogate(text, request);
    if (request instanceof MeetRequest.UpdateInit r) {
      updates(r);
    } else if (request instanceof MeetRequest.ClientPull r) {
      String epoch = r.serverEpoch() != null ? r.serverEpoch() : "epoch";
      JsonNode pull = message(MeetMessages.serverPull(new Position(epoch, r.lastServerSeq())),
          "SERVER_PULL");
      assertEquals(epoch, pull.path("serverEpoch").textValue());
      assertEquals(r.lastServerSeq(), pull.path("lastServerSeq").longValue());
    }
  }

  private static void updates(MeetRequest.UpdateInit r) {
    List<Op> ops = new ArrayList<>();
    State state = new State();
    List<MeetMessages.Rejected> rejected = new ArrayList<>();
    for (MeetRequest.Update u : r.updates()) {
      Op op = new Op(ops.size() + 1, LOCATION, u.localSeqNum(), 1, 0,
          Change.Put.of(u.updateKey(), u.updateValue()));
      state.apply(op);
      ops.add(op);
      rejected.add(new MeetMessages.Rejected(u.localSeqNum(), u.updateKey(), "conflict",
          new Entry(u.updateValue(), op.seq(), LOCATION, 1)));
    }
    JsonNode relayed = message(MeetMessages.RELAY.apply(
        new RoomEvent.Relayed("meet", LOCATION, Origin.LOCAL, ops)), "UPDATE_RELAY")
        .get("updatesRelayed");
    assertEquals(ops.size(), relayed.size());
    for (int i = 0; i < ops.size(); i++) {
      MeetRequest.Update u = r.updates().get(i);
      assertEquals(u.updateKey(), relayed.get(i).path("updateKey").textValue());
      assertEquals(WireAssertions.value(u.updateValue()), relayed.get(i).get("updateValue"));
      assertEquals(LOCATION, relayed.get(i).path("locationName").textValue());
    }
    JsonNode losers = message(MeetMessages.rejected(rejected), "UPDATE_REJECTED")
        .get("updatesRejected");
    for (int i = 0; i < rejected.size(); i++) {
      assertEquals(WireAssertions.value(rejected.get(i).winner().value()),
          losers.get(i).get("winningValue"));
    }
    Position head = new Position("epoch", ops.size());
    JsonNode pulled = message(MeetMessages.pulled(new CatchUp.Snapshot(head, state.values())),
        "UPDATE_RELAY").get("updatesRelayed");
    List<String> keys = new ArrayList<>(state.values().keySet());
    assertEquals(keys.size(), pulled.size());
    for (int i = 0; i < keys.size(); i++) {
      assertEquals(keys.get(i), pulled.get(i).path("updateKey").textValue());
      assertEquals(WireAssertions.value(state.values().get(keys.get(i))),
          pulled.get(i).get("updateValue"));
    }
  }

  private static JsonNode message(byte[] encoded, String type) {
    JsonNode message = WireAssertions.parse(encoded);
    assertEquals(type, message.path("msgType").textValue());
    return message;
  }
}
