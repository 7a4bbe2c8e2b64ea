package dev.livestate.server.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.room.Role;
import dev.livestate.server.TestServer;
import dev.livestate.server.auth.TestTokens;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DELETE /api/rooms/{room}: operators only; the room and everything it held are gone for good. */
class RestDeleteTest {
  @TempDir Path dir;

  @Test
  void anOperatorDeletesARoomWithItsStateAndStreamAndItStaysGoneAfterARestart() throws Exception {
    String admin = TestTokens.admin("operator");
    String writer = TestTokens.token("w", TestTokens.grant("doomed", Role.WRITER, 0));
    try (TestServer s = TestServer.start(dir, TestTokens.tokenMode())) {
      assertEquals(201, s.send("PUT", "/api/rooms/doomed", TestTokens.bearer(writer)).statusCode());
      assertEquals(201, s.post("/api/rooms/doomed/stream", "\"kept?\"", TestTokens.bearer(writer))
          .statusCode());
      assertEquals(403, s.send("DELETE", "/api/rooms/doomed", TestTokens.bearer(writer))
          .statusCode(), "a writer may not delete");
      assertEquals(401, s.send("DELETE", "/api/rooms/doomed").statusCode(), "no token");

      var deleted = s.send("DELETE", "/api/rooms/doomed", TestTokens.bearer(admin));
      assertEquals(200, deleted.statusCode(), deleted.body());
      assertEquals("{\"room\":\"doomed\",\"deleted\":true}", deleted.body());
      assertEquals(404, s.send("GET", "/api/rooms/doomed", TestTokens.bearer(admin)).statusCode());
      assertEquals(404, s.send("DELETE", "/api/rooms/doomed", TestTokens.bearer(admin))
          .statusCode(), "deleting twice finds nothing");
    }
    try (TestServer again = TestServer.start(dir, TestTokens.tokenMode())) {
      assertNull(again.server().engine().room("doomed"), "not recovered after a restart");
      assertEquals(404, again.send("GET", "/api/rooms/doomed/stream", TestTokens.bearer(admin))
          .statusCode());
    }
  }

  @Test
  void inOpenModeNobodyMayDelete() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of())) {
      assertEquals(201, s.send("PUT", "/api/rooms/kept").statusCode());
      var refused = s.send("DELETE", "/api/rooms/kept");
      assertEquals(403, refused.statusCode());
      assertTrue(refused.body().contains("\"code\":\"forbidden\""), refused.body());
      assertEquals(200, s.get("/api/rooms/kept").statusCode());
    }
  }
}
