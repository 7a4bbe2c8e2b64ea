package dev.livestate.server.adapter.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.server.config.Settings;
import dev.livestate.server.fuzz.WireAssertions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Any text frame a shared-state client can send: {@link SharedStateCodec} (built as the server
 * builds it, with the default services) decodes it or refuses it as {@link
 * SharedStateCodec.Invalid} ({@code ok: false}, on the request's tunnel), never anything else;
 * and every reply and NOTIFY the request leads to is valid UTF-8 JSON echoing the tunnel and
 * holding the items as they were read. Inputs: {@code SharedStateCodecFuzzTestInputs/}.
 */
class SharedStateCodecFuzzTest {
  private static final SharedStateConfig CONFIG =
      SharedStateConfig.from(Settings.of(SharedStateConfig.settings(), Map.of()));
  private static final SharedStateCodec CODEC = new SharedStateCodec(WireAssertions.serverJson(),
      Set.of("items", "mitems")::contains, CONFIG.maxMessage());

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void everyFrameIsDecodedOrRefusedOnItsTunnelAndAnsweredWithWhatWasRead(byte[] input) {
    String text = WireAssertions.text(input);
    SharedStateRequest request;
    try {
      request = CODEC.decode(text);
    } catch (SharedStateCodec.Invalid refused) {
      if (refused.tunnel != null) {
        JsonNode reply = reply(refused.tunnel,
            SharedStateMessages.error(refused.cmd, refused.tunnel, refused.getMessage()));
        assertFalse(reply.path("ok").booleanValue());
      }
      return;
    }
    WireAssertions.assertNoLoneSurrogate(text, request);
    String tunnel = request.tunnel();
    if (request instanceof SharedStateRequest.ListServices) {
      reply(tunnel, SharedStateMessages.services(tunnel, List.of("items", "mitems")));
    } else if (request instanceof SharedStateRequest.Clock) {
      reply(tunnel, SharedStateMessages.clock(tunnel, 1_700_000_000_123L));
    } else if (request instanceof SharedStateRequest.GetSubs) {
      reply(tunnel, SharedStateMessages.subs("GET", tunnel, List.of()));
    } else if (request instanceof SharedStateRequest.GetCollection r) {
      reply(tunnel, SharedStateMessages.items(tunnel, List.of()));
      notified(r.path().path(), new Change.Reset(Map.of()), tunnel);
    } else if (request instanceof SharedStateRequest.PutSubs r) {
      JsonNode subs = reply(tunnel, SharedStateMessages.subs("PUT", tunnel, r.subs())).get("data");
      assertEquals(r.subs().size(), subs.size());
      for (int i = 0; i < r.subs().size(); i++) {
        assertEquals(r.subs().get(i).spelling(), subs.get(i).path(0).textValue());
        assertEquals(WireAssertions.parse(r.subs().get(i).options()), subs.get(i).get(1));
      }
    } else if (request instanceof SharedStateRequest.Update r) {
      JsonNode updated = reply(tunnel, SharedStateMessages.updated(tunnel, r.touched()));
      assertEquals(r.touched(), updated.path("data").intValue());
      if (r.change() != null) {
        notified(r.path().path(), r.change(), null);
        List<Json> items = new ArrayList<>(r.change().sets().values());
        JsonNode listed = reply(tunnel, SharedStateMessages.items(tunnel, items)).get("data");
        assertItems(items, listed);
        notified(r.path().path(), new Change.Reset(r.change().sets()), tunnel);
      }
    }
  }

  /** A NOTIFY of the change: the ids it removes, the items it inserts, whether it resets. */
  private static void notified(String path, Change change, String tunnel) {
    JsonNode notify = WireAssertions.parse(SharedStateMessages.notify(path, change, tunnel));
    assertEquals(path, notify.path("path").textValue());
    assertTunnel(tunnel, notify);
    JsonNode data = notify.get("data");
    boolean reset = change instanceof Change.Reset;
    assertEquals(reset, data.path("reset").booleanValue());
    List<String> removed = new ArrayList<>();
    data.path("remove").forEach(id -> removed.add(id.textValue()));
    assertEquals(reset ? List.of() : change.deletes(), removed);
    assertItems(new ArrayList<>(change.sets().values()), data.get("insert"));
  }

  private static void assertItems(List<Json> items, JsonNode listed) {
    assertEquals(items.size(), listed.size());
    for (int i = 0; i < items.size(); i++) {
      assertEquals(WireAssertions.value(items.get(i)), listed.get(i));
    }
  }

  private static JsonNode reply(String tunnel, byte[] encoded) {
    JsonNode reply = WireAssertions.parse(encoded);
    assertEquals("REPLY", reply.path("type").textValue());
    assertTunnel(tunnel, reply);
    return reply;
  }

  /** The tunnel comes back as the JSON the client sent, or as null when it sent none. */
  private static void assertTunnel(String tunnel, JsonNode message) {
    if (tunnel == null) {
      assertFalse(message.hasNonNull("tunnel"));
    } else {
      assertEquals(WireAssertions.parse(tunnel), message.get("tunnel"));
    }
  }
}
