package dev.livestate.server.adapter.synk;

import static dev.livestate.server.auth.TestTokens.bearer;
import static dev.livestate.server.auth.TestTokens.grant;
import static dev.livestate.server.auth.TestTokens.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.room.Role;
import dev.livestate.server.TestServer;
import dev.livestate.server.auth.TestTokens;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code synk.access=token}: {@code Authorization: Bearer} with grants on {@code synk:<channel>}
 * (reader to GET, writer to POST; the channel list shows what the token may read); and
 * {@code limits.changes-per-second} on posts, open or closed. Refusals are Supersynk's
 * {@code {"error": "..."}} with 401, 403 or 429.
 */
class SupersynkAccessTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SEED = "{\"c\":\"ada\",\"d\":[{\"k\":\"head\",\"v\":1}]}";

  @RegisterExtension
  static final TestServer s =
      TestServer.perClass(TestTokens.tokenMode("synk.access", "token", "synk.timeout", "60s"));

  static void assertRefused(int status, String says, HttpResponse<String> r) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(JSON.readTree(r.body()).get("error").asText().startsWith(says), r.body());
  }

  @Test
  void withoutATokenNothingIsPostedNorRead() throws Exception {
    assertRefused(401, "unauthorized", s.post("/synk/vr", SEED));
    assertRefused(401, "unauthorized", s.get("/synk/vr"));
    assertRefused(401, "unauthorized",
        s.post("/api/channels/vr", "{\"client_id\":\"ada\"}", bearer("forged")));
    assertRefused(401, "unauthorized", s.get("/api/channels"));
    assertEquals(200, s.get("/api").statusCode(), "the version names no channel");
  }

  @Test
  void aTokenForAnotherChannelIsRefusedAndTheListShowsOnlyReadableChannels() throws Exception {
    String vr = token("vr-app", grant("synk:vr", Role.WRITER, 0));
    String lab = token("lab-app", grant("synk:lab", Role.WRITER, 0));
    assertEquals(200, s.post("/synk/vr", SEED, bearer(vr)).statusCode());
    assertEquals(200, s.post("/synk/lab", SEED, bearer(lab)).statusCode());
    assertRefused(403, "forbidden", s.post("/synk/lab", SEED, bearer(vr)));
    assertRefused(403, "forbidden", s.send("GET", "/api/channels/lab", bearer(vr)));
    assertEquals("[\"vr\"]", s.send("GET", "/api/channels", bearer(vr)).body());
  }

  @Test
  void aReaderReadsButDoesNotPost() throws Exception {
    String writer = token("w", grant("synk:*", Role.WRITER, 0));
    String reader = token("r", grant("synk:seen", Role.READER, 0));
    s.post("/synk/seen", SEED, bearer(writer));
    assertRefused(403, "forbidden", s.post("/synk/seen", SEED.replace("ada", "eve"),
        bearer(reader)));
    String seen = s.send("GET", "/synk/seen", bearer(reader)).body();
    assertTrue(seen.contains("ada") && !seen.contains("eve"), seen);
  }

  @Test
  void aClientPostingTooFastGets429() throws Exception {
    try (TestServer open = TestServer.start(Map.of("limits.changes-per-second", "1"))) {
      int refused = 0;
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> r =
            open.post("/api/channels/vr", "{\"client_id\":\"ada\",\"i\":" + i + "}");
        if (r.statusCode() == 429) {
          assertRefused(429, "too many requests", r);
          refused++;
        }
      }
      assertTrue(refused > 0, "some of ten posts in a burst of two are refused");
      assertEquals(200, open.get("/api/channels/vr").statusCode(), "reading is not limited");
    }
  }
}
