package dev.livestate.server.adapter.uisync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.op.Json;
import dev.livestate.server.fuzz.WireAssertions;
import dev.livestate.server.http.Limits;
import io.socket.socketio.server.SocketIoSocket;
import io.socket.socketio.server.parser.IOParser;
import io.socket.socketio.server.parser.Packet;
import io.socket.socketio.server.parser.Parser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Timeout;

/**
 * Any WebSocket text frame a UI sync client can send goes the server's way: the nesting
 * pre-check, then {@link UiSyncCodec#readEvent}, and what that leaves goes to socket.io-server's
 * decoder and {@link UiSyncCodec#decode}. The pre-check and the decoder
 * may refuse it (the connection closes, as documented); the codec answers every event, never
 * throws; and each answer the server would send about the request is an Engine.IO packet a client
 * decodes back to the values the codec read. Inputs: {@code UiSyncCodecFuzzTestInputs/}.
 */
class UiSyncCodecFuzzTest {
  private static final Limits LIMITS = WireAssertions.serverLimits();
  private static final UiSyncCodec CODEC = new UiSyncCodec(WireAssertions.serverJson());
  private static final int MAX_DEPTH = Nesting.limit(LIMITS.maxJsonDepth());

  /** The decoder logs each payload it cannot read, with its stack trace: millions of lines. */
  private static final Logger DECODER_LOG = Logger.getLogger(IOParser.class.getName());

  static {
    DECODER_LOG.setLevel(Level.OFF);
  }

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void everyFrameIsRefusedOrDecodedAndAnsweredWithWhatWasRead(byte[] input) {
    String frame = WireAssertions.text(input);
    boolean tooDeep = Nesting.deeperThan(frame, MAX_DEPTH);
    assertEquals(tooDeep, Nesting.deeperThan(frame.getBytes(StandardCharsets.UTF_8), MAX_DEPTH),
        "a WebSocket frame and the same bytes polled are measured alike");
    if (tooDeep || !frame.startsWith("4")) {
      return; // closed with 1007 (or 400 when polled); not a message for socket.io-server
    }
    UiSyncRequest read = CODEC.readEvent(frame.substring(1));
    if (read != null) {
      // the codec read the event itself (EventReader): its payload is the array's second value
      JsonNode payload = WireAssertions.parse(frame.substring(2)).path(1);
      assertNoLoneSurrogateIn(read, payload.isTextual() ? null : payload.toString());
      answer(read);
      return;
    }
    List<Packet<?>> packets = new ArrayList<>();
    IOParser.Decoder decoder = new IOParser.Decoder();
    decoder.onDecoded(packets::add);
    try {
      decoder.add(frame.substring(1));
    } catch (RuntimeException refused) {
      return; // socket.io-server catches what its decoder throws and closes this client
    }
    for (Packet<?> packet : packets) {
      if (packet.type == Parser.EVENT && "/".equals(packet.nsp)) {
        event(packet);
      }
    }
  }

  /** What socket.io-server's socket does with an event, then what the server answers. */
  private static void event(Packet<?> packet) {
    JSONArray data = (JSONArray) packet.data;
    if (data == null) {
      return; // socket.io-server's socket reads the missing event name, throws, and closes
    }
    List<Object> args = new ArrayList<>();
    for (int i = 0; i < data.length(); i++) {
      Object arg = data.get(i);
      args.add(arg == JSONObject.NULL ? null : arg);
    }
    if (packet.id >= 0) {
      args.add((SocketIoSocket.ReceivedByLocalAcknowledgementCallback) ack -> { });
    }
    String event = args.get(0).toString();
    Object[] eventArgs = args.subList(1, args.size()).toArray();
    UiSyncRequest request = CODEC.decode(event, eventArgs);
    assertNoLoneSurrogateIn(request, eventArgs.length == 0 || eventArgs[0] instanceof String
        ? null : JSONObject.valueToString(eventArgs[0]));
    answer(request);
  }

  /**
   * An object payload is refused if a string in it holds a lone surrogate ({@code payload}: its
   * JSON text; null for a string payload or none).
   */
  private static void assertNoLoneSurrogateIn(UiSyncRequest request, String payload) {
    if (!(request instanceof UiSyncRequest.Invalid || request instanceof UiSyncRequest.Unknown
        || request instanceof UiSyncRequest.MyPing) && payload != null) {
      assertFalse(WireAssertions.holdsLoneSurrogate(payload),
          "decoded although a string holds half a surrogate pair: " + request);
    }
  }

  private static void answer(UiSyncRequest request) {
    if (request instanceof UiSyncRequest.JoinRoom r) {
      assertSite(r.site(), CODEC.confirmFollowerStart(r.site()), "confirm_follower_start");
    } else if (request instanceof UiSyncRequest.LeaveRoom r) {
      assertSite(r.site(), CODEC.confirmFollowerEnd(r.site()), "confirm_follower_end");
    } else if (request instanceof UiSyncRequest.RemoveLeader r) {
      assertSite(r.site(), CODEC.confirmLeaderEnd(r.site()), "confirm_leader_end");
      JsonNode gone = payload(CODEC.noMoreLeader(r.site(), "leader"), "no_more_leader");
      assertEquals(r.site(), gone.path("site").textValue());
    } else if (request instanceof UiSyncRequest.NewLeader r) {
      newLeader(r);
    } else if (request instanceof UiSyncRequest.UiChange r) {
      JsonNode state = payload(CODEC.newState(r.key(), r.value()), "new_state");
      assertEquals(r.key(), state.path("key").textValue());
      assertEquals(WireAssertions.value(r.value()), state.get("new_val"));
    } else if (request instanceof UiSyncRequest.Invalid r) {
      JsonNode error = payload(CODEC.error(r.event(), r.site(), r.error(), r.message()), "error");
      assertEquals(r.event(), error.path("event").textValue());
      assertEquals(r.site(), error.path("site").textValue());
      // a message may quote half of a character the client sent (Jackson names the first UTF-16
      // unit of an unexpected one), which the frame's UTF-8 turns into '?': text all the same
      assertTrue(error.path("message").isTextual());
    } else if (request instanceof UiSyncRequest.MyPing) {
      Outbound pong = CODEC.pong();
      assertEquals("42[\"my_pong\"]", new String(pong.frame().payload(), StandardCharsets.UTF_8));
    }
  }

  private static void newLeader(UiSyncRequest.NewLeader r) {
    assertSite(r.site(), CODEC.confirmLeaderStart(r.site()), "confirm_leader_start");
    JsonNode leaders = payload(CODEC.allLeaders(Map.of(r.site(), r.name())), "all_leaders");
    assertEquals(r.name(), leaders.path("leaders").path(r.site()).textValue());
    JsonNode snapshot = payload(CODEC.fullStateSnapshot(r.snapshot(), r.leader()),
        "full_state_snapshot");
    assertEquals(WireAssertions.value(r.leader()), snapshot.get("leader"));
    JsonNode state = snapshot.get("state_snapshot");
    assertEquals(new ArrayList<>(r.snapshot().keySet()), fieldNames(state),
        "the followers get every key, in the leader's order");
    for (Map.Entry<String, Json> e : r.snapshot().entrySet()) {
      assertEquals(WireAssertions.value(e.getValue()), state.get(e.getKey()), e.getKey());
    }
  }

  private static void assertSite(String site, Outbound event, String name) {
    assertEquals(site, payload(event, name).path("site").textValue());
  }

  /**
   * The payload of an event as a client reads it: the WebSocket frame is valid UTF-8, an Engine.IO
   * message of a Socket.IO event on the main namespace, {@code 42[name, payload]}, and the
   * library's own decoder takes it too.
   */
  private static JsonNode payload(Outbound event, String name) {
    String frame = WireAssertions.utf8(event.frame().payload());
    assertTrue(frame.startsWith("42"), "an event frame: " + frame);
    JsonNode array = WireAssertions.parse(frame.substring(2));
    List<Packet<?>> decoded = new ArrayList<>();
    IOParser.Decoder client = new IOParser.Decoder();
    client.onDecoded(decoded::add);
    client.add(frame.substring(1));
    assertEquals(1, decoded.size());
    assertEquals(name, array.path(0).textValue());
    assertEquals(2, array.size(), "an event with one payload");
    return array.get(1);
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
