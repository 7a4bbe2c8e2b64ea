package dev.livestate.server.adapter.synk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.op.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Supersynk codec without sockets. */
class SynkCodecTest {
  final SynkCodec codec = new SynkCodec(new ObjectMapper());

  @Test
  void recordsAreKeptCompactWithTheClientIdFirst() {
    assertEquals(new SynkCodec.Post("ada", new Json("{\"client_id\":\"ada\",\"x\":1}")),
        codec.decode(SynkCodec.Form.API, "{ \"x\" : 1, \"client_id\" : \"ada\" }"));
    assertEquals(new SynkCodec.Post("joe", new Json("{\"c\":\"joe\",\"d\":[]}")),
        codec.decode(SynkCodec.Form.SEED, "{\"c\":\"joe\"}"));
  }

  @Test
  void invalidInputNamesTheReason() {
    assertEquals("payload is not JSON",
        assertThrows(SynkCodec.Invalid.class, () -> codec.decode(SynkCodec.Form.API, "{")).getMessage());
    assertEquals("'client_id' is empty",
        assertThrows(SynkCodec.Invalid.class, () -> codec.decode(SynkCodec.Form.API, "{\"client_id\":\"\"}")).getMessage());
    assertEquals("no 'c'",
        assertThrows(SynkCodec.Invalid.class, () -> codec.decode(SynkCodec.Form.SEED, "{\"d\":[]}")).getMessage());
  }

  @Test
  void aRefusalEchoesTheBodyUpToItsCapWithoutSplittingACharacter() throws Exception {
    String body = "x".repeat(SynkCodec.MAX_ECHO - 1) + "\uD83D\uDE00 and more";
    SynkCodec.Invalid e = assertThrows(SynkCodec.Invalid.class,
        () -> codec.decode(SynkCodec.Form.API, body.getBytes(StandardCharsets.UTF_8)));
    String error = new ObjectMapper().readTree(codec.refusal(e)).get("error").textValue();
    assertEquals("invalid input (" + "x".repeat(SynkCodec.MAX_ECHO - 1) + "…)", error);
  }

  @Test
  void listsLeaveTheCallerOutAndConvertBetweenForms() {
    Map<String, Json> clients = new LinkedHashMap<>();
    clients.put("ada", new Json("{\"c\":\"ada\",\"d\":[{\"k\":\"head\",\"v\":\"H\"}]}"));
    clients.put("joe", new Json("{\"client_id\":\"joe\",\"pos\":\"1 2 3\"}"));
    clients.put("nat", new Json("42"));
    assertEquals("[{\"client_id\":\"ada\",\"d\":[{\"k\":\"head\",\"v\":\"H\"}]},{\"client_id\":\"nat\",\"data\":42}]",
        codec.list(clients, "joe", SynkCodec.Form.API));
    assertEquals("[{\"c\":\"joe\",\"d\":[{\"k\":\"pos\",\"v\":\"1 2 3\"}]},{\"c\":\"nat\",\"d\":[{\"k\":\"data\",\"v\":42}]}]",
        codec.list(clients, "ada", SynkCodec.Form.SEED));
  }

  @Test
  void dataWithALoneSurrogateIsInvalidInput() {
    assertEquals("a string (at /d/0/v/\\uDBFF) holds half of a UTF-16 surrogate "
        + "pair, which UTF-8 cannot carry", assertThrows(SynkCodec.Invalid.class, () -> codec
        .decode(SynkCodec.Form.SEED, "{\"c\":\"a\",\"d\":[{\"k\":\"k\",\"v\":{\"\\udbff\":1}}]}"))
        .getMessage());
  }
}
