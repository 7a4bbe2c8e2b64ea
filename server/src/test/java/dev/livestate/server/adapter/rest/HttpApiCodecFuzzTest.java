package dev.livestate.server.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.op.Json;
import dev.livestate.protocol.HttpApiCodec;
import dev.livestate.protocol.ProtocolException;
import dev.livestate.server.fuzz.WireAssertions;
import dev.livestate.stream.StreamMessage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Any body sent to the HTTP API, as a PUT's room config and as a message POSTed to a stream:
 * {@link HttpApiCodec} (built as the server builds it) reads it or refuses it with the
 * catalogue's error, never anything else, and a published body is answered and listed back as
 * valid JSON holding the same value. Inputs: {@code HttpApiCodecFuzzTestInputs/}.
 */
class HttpApiCodecFuzzTest {
  private static final HttpApiCodec CODEC = new HttpApiCodec(WireAssertions.serverJson());

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void everyBodyIsReadOrRefusedWithTheCatalogueAndAPublishedOneIsListedBack(byte[] input) {
    String text = WireAssertions.text(input);
    try {
      CODEC.roomConfig(CODEC.body(text));
    } catch (ProtocolException refused) {
      assertError(refused);
    }
    Json body;
    try {
      body = CODEC.messageBody(text);
    } catch (ProtocolException refused) {
      assertError(refused);
      return;
    }
    WireAssertions.assertNoLoneSurrogate(text, body);
    StreamMessage m = new StreamMessage(7, 1_700_000_000_000L, Long.MAX_VALUE, body);
    assertEquals(WireAssertions.value(body),
        WireAssertions.parse(HttpApiCodec.published(m)).get("body"));
    JsonNode listed = WireAssertions.parse(HttpApiCodec.messages("room", List.of(m)));
    assertEquals(WireAssertions.value(body), listed.path("messages").path(0).get("body"));
  }

  private static void assertError(ProtocolException refused) {
    JsonNode error = WireAssertions.parse(HttpApiCodec.error(refused.error(),
        refused.getMessage())).get("error");
    assertEquals(refused.error().code(), error.path("code").textValue());
  }
}
