package dev.livestate.server.adapter.synk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.server.fuzz.WireAssertions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Any body POSTed to a Supersynk channel, in both forms: {@link SynkCodec} (built as the server
 * builds it) takes it or refuses it with its {@code invalid input} error (valid JSON), never anything else;
 * and the record it keeps is listed back to the other clients, in either form, as valid JSON
 * naming the client. Inputs: {@code SynkCodecFuzzTestInputs/}.
 */
class SynkCodecFuzzTest {
  private static final SynkCodec CODEC = new SynkCodec(WireAssertions.serverJson());

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void everyBodyIsTakenOrRefusedAndListedBackInBothForms(byte[] input) {
    String body = WireAssertions.text(input);
    for (SynkCodec.Form posted : SynkCodec.Form.values()) {
      SynkCodec.Post post;
      try {
        post = CODEC.decode(posted, body);
      } catch (SynkCodec.Invalid refused) {
        assertTrue(WireAssertions.parse(CODEC.refusal(refused)).get("error").textValue()
            .startsWith("invalid input ("), refused.getMessage());
        continue;
      }
      WireAssertions.assertNoLoneSurrogate(body, post);
      WireAssertions.parse(post.record().text());
      for (SynkCodec.Form listed : SynkCodec.Form.values()) {
        JsonNode everyone = WireAssertions.parse(
            CODEC.list(Map.of(post.clientId(), post.record()), null, listed));
        assertEquals(1, everyone.size());
        String id = everyone.get(0).path(listed == SynkCodec.Form.API ? "client_id" : "c")
            .textValue();
        assertEquals(post.clientId(), id, "posted as " + posted + ", listed as " + listed);
      }
    }
  }
}
