package dev.livestate.server.adapter.meet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The codec, tokens and passwords without sockets. */
class MeetCodecTest {
  private final MeetCodec codec = new MeetCodec(new ObjectMapper());

  @Test
  void createAcceptsEndpointsOrLocations() {
    String base = "{\"msgType\":\"CREATE_MEET\",\"thisLocationName\":\"a\",\"password\":\"0123456789\",";
    MeetRequest.CreateMeet c = (MeetRequest.CreateMeet) codec.decode(
        base + "\"endpoints\":[{\"locationName\":\"a\",\"priority\":2}]}");
    assertEquals(2, c.endpoints().get("a"));
    assertNull(c.meetId());
    MeetRequest.CreateMeet l = (MeetRequest.CreateMeet) codec.decode(
        base + "\"locations\":[{\"locationName\":\"a\",\"priority\":1}],\"meetId\":\"123 456 789\"}");
    assertEquals("123456789", l.meetId());
    assertThrows(MeetCodec.Malformed.class, () -> codec.decode(
        base + "\"endpoints\":[{\"locationName\":\"a\",\"priority\":1},{\"locationName\":\"a\",\"priority\":2}]}"));
  }

  @Test
  void joinTakesPasswordInEitherCase() {
    MeetRequest.JoinMeet j = (MeetRequest.JoinMeet) codec.decode(
        "{\"msgType\":\"JOIN_MEET\",\"meetId\":\"123-456-789\",\"Password\":\"pw\",\"locationName\":\"x\"}");
    assertEquals("pw", j.password());
    assertEquals("123456789", j.meetId());
    MeetRequest.JoinMeet d = (MeetRequest.JoinMeet) codec.decode(
        "{\"msgType\":\"JOIN_MEET\",\"meetId\":\"1\",\"password\":\"pw\",\"displayOnly\":true}");
    assertTrue(d.displayOnly());
    assertNull(d.locationName());
  }

  @Test
  void updatesKeepTheirRawJsonValue() {
    MeetRequest.UpdateInit u = (MeetRequest.UpdateInit) codec.decode("{\"msgType\":\"UPDATE_INIT\","
        + "\"sessionToken\":\"t\",\"updates\":[{\"updateKey\":\"a.b[2]\",\"updateValue\":{\"x\":[1,2]},"
        + "\"localSeqNum\":4,\"afterServerSeqNum\":3}]}");
    assertEquals("{\"x\":[1,2]}", u.updates().get(0).updateValue().text());
    assertEquals(4, u.updates().get(0).localSeqNum());
    assertThrows(MeetCodec.Malformed.class, () -> codec.decode("{\"msgType\":\"UPDATE_INIT\","
        + "\"sessionToken\":\"t\",\"updates\":[{\"updateKey\":\"k\",\"localSeqNum\":-1,"
        + "\"afterServerSeqNum\":0,\"updateValue\":1}]}"));
  }

  @Test
  void unknownTypesAndBadJsonAreTold() {
    assertEquals("NOPE", assertThrows(MeetCodec.UnknownType.class,
        () -> codec.decode("{\"msgType\":\"NOPE\"}")).msgType);
    assertThrows(MeetCodec.Malformed.class, () -> codec.decode("[1]"));
    assertThrows(MeetCodec.Malformed.class, () -> codec.decode("{"));
    assertThrows(MeetCodec.Malformed.class, () -> codec.decode(
        "{\"msgType\":\"PUBLISH_MEET\",\"sessionToken\":\"t\",\"returnEmail\":\"nope\",\"oplCsv\":\"\"}"));
  }

  @Test
  void tokensNameTheirMeetAndIdsReadInGroups() {
    Tokens tokens = new Tokens(new SecureRandom());
    String id = tokens.meetId();
    assertTrue(id.matches("\\d{9}"));
    String token = tokens.session(id);
    assertEquals(id, Tokens.meetOf(token));
    assertNull(Tokens.meetOf("12345678.x"));
    assertEquals("012 345 678", Tokens.display("012345678"));
    assertFalse(Tokens.sha256(token).contains(token));
  }

  @Test
  void passwordsMatchOnlyThemselves() {
    ObjectMapper json = new ObjectMapper();
    Passwords p = new Passwords(new SecureRandom(), 10, json);
    var hash = p.hash(json, "correct horse battery");
    assertEquals("scrypt", hash.get("alg").asText());
    assertTrue(p.matches(hash, "correct horse battery"));
    assertFalse(p.matches(hash, "correct horse batterY"));
    assertFalse(hash.toString().contains("correct horse"));
  }

  @Test
  void aMessageWithALoneSurrogateIsMalformed() {
    MeetCodec.Malformed m = assertThrows(MeetCodec.Malformed.class, () -> codec.decode(
        "{\"msgType\":\"JOIN_MEET\",\"meetId\":\"123456789\",\"password\":\"pass\\ud800word\","
            + "\"locationName\":\"a\"}"));
    assertTrue(m.getMessage().contains("/password"), m.getMessage());
  }
}
