package dev.livestate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one rule for strings every codec reads: half of a surrogate pair is refused, anywhere. */
class LoneSurrogatesTest {
  private final ObjectMapper json = new ObjectMapper();

  private Optional<String> refusal(String text) throws Exception {
    return LoneSurrogates.refusal(json.readTree(text));
  }

  @Test
  void wellFormedTextPassesPairsAndAllIncluded() throws Exception {
    assertEquals(Optional.empty(), refusal(
        "{\"a\":[\"\\ud83d\\ude00\",\"😀\",1,null,{\"é\":\"\\u00e9\"}],\"\\ud83d\\ude00\":true}"));
    assertFalse(LoneSurrogates.in("plain, é and 😀"));
  }

  @Test
  void aLoneHalfIsFoundInValuesKeysAndNestedArraysNamedByItsPointer() throws Exception {
    assertEquals(Optional.of("a string (at /set/k) holds half of a UTF-16 surrogate pair, which "
        + "UTF-8 cannot carry"), refusal("{\"set\":{\"k\":\"x\\ud800\"}}"));
    assertEquals("a string (at /a/1/0) holds half of a UTF-16 surrogate pair, which UTF-8 cannot "
        + "carry", refusal("{\"a\":[1,[\"\\udfff\"]]}").orElseThrow());
    // the key named in the message is written with an escape, so the message is itself sendable
    String key = refusal("{\"set\":{\"k\\udc00/x\":1}}").orElseThrow();
    assertTrue(key.startsWith("a string (at /set/k\\uDC00~1x) holds"), key);
    assertFalse(LoneSurrogates.in(key));
    assertTrue(refusal("\"\\ud800\"").orElseThrow().startsWith("a string (at /) holds"));
  }

  @Test
  void halvesInTheWrongOrderOrCutOffAreLoneToo() {
    assertTrue(LoneSurrogates.in("\udc00\ud800"));
    assertTrue(LoneSurrogates.in("ab\ud83d"));
    assertTrue(LoneSurrogates.in("\ude00"));
    assertFalse(LoneSurrogates.in("\ud83d\ude00"));
  }

  @Test
  void whatTheRuleGuardsAgainstUtf8CannotCarryAHalf() {
    // why refusing is needed: written as UTF-8, a lone half becomes '?', so two names merge
    byte[] a = "r\ud800".getBytes(StandardCharsets.UTF_8);
    byte[] b = "r\ud801".getBytes(StandardCharsets.UTF_8);
    assertEquals(new String(a, StandardCharsets.UTF_8), new String(b, StandardCharsets.UTF_8));
  }

  @Test
  void nativeRequestsHoldingALoneHalfAreRefusedAsInvalidJsonEchoingOnlyAWellFormedId() {
    RequestCodec codec = new RequestCodec(json);
    RequestCodec.Failed f = assertThrows(RequestCodec.Failed.class, () -> codec.decode(
        "{\"type\":\"submit\",\"id\":3,\"room\":\"r\",\"changes\":[{\"localSeq\":1,"
            + "\"baseSeq\":0,\"set\":{\"k\":\"\\ud800\"}}]}"));
    assertEquals(3L, f.id());
    assertEquals(ErrorCode.INVALID_JSON, f.error());
    f = assertThrows(RequestCodec.Failed.class,
        () -> codec.decode("{\"type\":\"join\",\"id\":\"j\",\"room\":\"a\\udbff\"}"));
    assertEquals("j", f.id());
    ProtocolException noId = assertThrows(ProtocolException.class,
        () -> codec.decode("{\"type\":\"ping\",\"id\":\"\\ud800\"}"));
    assertEquals(ErrorCode.INVALID_JSON, noId.error());
  }

  @Test
  void httpBodiesHoldingALoneHalfAreRefusedAsInvalidJson() {
    HttpApiCodec codec = new HttpApiCodec(json);
    assertEquals(ErrorCode.INVALID_JSON, assertThrows(ProtocolException.class,
        () -> codec.messageBody("{\"text\":\"\\ud800\"}")).error());
    assertEquals(ErrorCode.INVALID_JSON, assertThrows(ProtocolException.class,
        () -> codec.body("{\"\\udfff\":1}")).error());
    JsonNode fine = codec.body("{\"policy\":\"priority\"}");
    assertEquals("priority", fine.get("policy").textValue());
  }
}
