package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.engine.Joined;
import dev.livestate.engine.Origin;
import dev.livestate.engine.RoomEvent;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.op.Proposal;
import dev.livestate.protocol.ErrorCode;
import dev.livestate.protocol.ProtocolException;
import dev.livestate.protocol.Request;
import dev.livestate.protocol.RequestCodec;
import dev.livestate.protocol.ServerMessages;
import dev.livestate.room.Leadership;
import dev.livestate.room.Position;
import dev.livestate.server.fuzz.WireAssertions;
import dev.livestate.state.Entry;
import dev.livestate.state.State;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Any text frame a native client can send: {@link RequestCodec} (built as the server builds it)
 * decodes it or refuses it with the catalogue's error, never anything else; and what it decodes
 * is written back by {@link ServerMessages} as valid UTF-8 JSON holding the same values: the
 * reply, the events the engine would relay, a joiner's snapshot and tail. Inputs:
 * {@code RequestCodecFuzzTestInputs/}.
 */
class RequestCodecFuzzTest {
  private static final RequestCodec CODEC = new RequestCodec(WireAssertions.serverJson());
  private static final String WRITER = "writer";

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void everyFrameIsDecodedOrRefusedWithTheCatalogueAndWhatItDecodesIsWrittenBack(byte[] input) {
    String text = WireAssertions.text(input);
    Request request;
    try {
      request = CODEC.decode(text);
    } catch (RequestCodec.Failed failed) {
      assertError(failed.id(), failed.error(), failed.getMessage());
      return;
    } catch (ProtocolException refused) {
      assertError(null, refused.error(), refused.getMessage());
      return;
    }
    WireAssertions.assertNoLoneSurrogate(text, request);
    Object id = request.id();
    if (request instanceof Request.Submit r) {
      submitted(id, r);
    } else if (request instanceof Request.Join r) {
      CatchUp.Snapshot empty = new CatchUp.Snapshot(new Position("epoch", 0), Map.of());
      assertRoom(id, r.room(),
          ServerMessages.joined(id, r.room(), new Joined(empty, null, Map.of(), false)));
    } else if (request instanceof Request.SetPresence r) {
      JsonNode event = event(new RoomEvent.PresenceChanged(r.room(), WRITER, r.data()));
      assertEquals(WireAssertions.value(r.data()), event.get("data"));
    } else if (request instanceof Request.Publish r) {
      published(id, r);
    } else if (request instanceof Request.Hello r) {
      String clientId = r.clientId() != null ? r.clientId() : "client";
      JsonNode welcome = reply(id, ServerMessages.welcome(id, clientId, r.resume(), 0));
      assertEquals(clientId, welcome.path("clientId").textValue());
    } else {
      other(id, request);
    }
  }

  private static void other(Object id, Request request) {
    if (request instanceof Request.Leave r) {
      assertRoom(id, r.room(), ServerMessages.roomReply("left", id, r.room()));
    } else if (request instanceof Request.Lead r) {
      assertRoom(id, r.room(), ServerMessages.leadership(id, r.room(),
          new Leadership.Refused(WRITER)));
    } else if (request instanceof Request.Unlead r) {
      assertRoom(id, r.room(), ServerMessages.unled(id, r.room(), true));
    } else if (request instanceof Request.History r) {
      assertRoom(id, r.room(), ServerMessages.history(id, r.room(), List.of()));
    } else if (request instanceof Request.Ping) {
      reply(id, ServerMessages.pong(id));
    } else if (request instanceof Request.Refresh) {
      reply(id, ServerMessages.refreshed(id, 0));
    }
  }

  /** The submit's changes as the ops an event relays, folded into a joiner's snapshot. */
  private static void submitted(Object id, Request.Submit r) {
    List<Op> ops = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    State state = new State();
    for (Proposal p : r.changes()) {
      Op op = new Op(ops.size() + 1, WRITER, p.localSeq(), 0, 0, p.change());
      Map<String, Entry> standing = new LinkedHashMap<>();
      p.change().values().keySet().forEach(key -> {
        if (state.get(key) != null) {
          standing.put(key, state.get(key));
        }
      });
      outcomes.add(new Outcome.Rejected(p.localSeq(), Rejection.CONFLICT, "conflict", standing));
      outcomes.add(new Outcome.Accepted(p.localSeq(), op.seq()));
      state.apply(op);
      ops.add(op);
    }
    JsonNode relayed = event(new RoomEvent.Relayed(r.room(), WRITER, Origin.LOCAL, ops)).get("ops");
    assertOps(ops, relayed);
    Position head = new Position("epoch", ops.size());
    JsonNode snapshot = reply(id, ServerMessages.joined(id, r.room(),
        new Joined(new CatchUp.Snapshot(head, state.values()), WRITER, Map.of(), false)));
    assertValues(state.values(), snapshot.get("snapshot"));
    JsonNode tail = reply(id, ServerMessages.joined(id, r.room(),
        new Joined(new CatchUp.Tail(head, ops), WRITER, Map.of(), false)));
    assertOps(ops, tail.get("ops"));
    JsonNode result = reply(id, ServerMessages.result(id, r.room(), outcomes));
    assertEquals(ops.size(), result.get("acks").size());
    assertEquals(ops.size(), result.get("rejects").size());
  }

  private static void published(Object id, Request.Publish r) {
    StreamMessage m = new StreamMessage(1, r.time() != null ? r.time() : 0, Long.MAX_VALUE,
        r.body());
    assertRoom(id, r.room(), ServerMessages.published(id, r.room(), m));
    JsonNode event = event(new RoomEvent.Published(r.room(), m));
    assertEquals(WireAssertions.value(r.body()), event.path("message").get("body"));
    JsonNode history = reply(id, ServerMessages.history(id, r.room(), List.of(m)));
    assertEquals(WireAssertions.value(r.body()), history.path("messages").path(0).get("body"));
  }

  /** Each op as relayed: its seq and writer, a reset's values, or a put's sets and deletes. */
  private static void assertOps(List<Op> ops, JsonNode relayed) {
    assertEquals(ops.size(), relayed.size());
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      JsonNode o = relayed.get(i);
      assertEquals(op.seq(), o.path("seq").longValue());
      Change change = op.change();
      if (change instanceof Change.Reset) {
        assertValues(change.sets(), o.get("reset"));
        assertFalse(o.has("delete"));
      } else {
        assertValues(change.sets(), o.get("set"));
        List<String> deleted = new ArrayList<>();
        o.path("delete").forEach(k -> deleted.add(k.textValue()));
        assertEquals(change.deletes(), deleted);
      }
    }
  }

  /** An object of key → value, in order, each value as the engine holds it. */
  private static void assertValues(Map<String, Json> values, JsonNode object) {
    List<String> keys = new ArrayList<>();
    object.fieldNames().forEachRemaining(keys::add);
    assertEquals(new ArrayList<>(values.keySet()), keys);
    values.forEach((key, value) -> assertEquals(WireAssertions.value(value), object.get(key), key));
  }

  private static void assertError(Object id, ErrorCode code, String message) {
    JsonNode error = reply(id, ServerMessages.error(id, code, message, null));
    assertEquals(code.code(), error.path("code").textValue());
    assertEquals(message, error.path("message").textValue());
  }

  private static void assertRoom(Object id, String room, byte[] reply) {
    assertEquals(room, reply(id, reply).path("room").textValue());
  }

  /** A reply, which echoes the request's id as it came (a number or a string), or has none. */
  private static JsonNode reply(Object id, byte[] encoded) {
    JsonNode reply = WireAssertions.parse(encoded);
    if (id instanceof Long l) {
      assertEquals(l, reply.path("id").longValue());
    } else if (id != null) {
      assertEquals(id, reply.path("id").textValue());
    } else {
      assertFalse(reply.has("id"));
    }
    return reply;
  }

  private static JsonNode event(RoomEvent e) {
    JsonNode event = WireAssertions.parse(ServerMessages.EVENT.apply(e));
    assertEquals(e.room(), event.path("room").textValue());
    return event;
  }
}
