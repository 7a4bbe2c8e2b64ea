package dev.livestate.server.adapter.nativews;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livestate.server.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A server that shuts down tells its native clients it is going away (1001), so they reconnect. */
class NativeShutdownTest {
  @Test
  void closingTheServerClosesEveryNativeConnectionWithGoingAway() throws Exception {
    TestServer server = TestServer.start();
    try (NativeClient idle = NativeClient.connect(server.ws("/ws"), "idle");
        NativeClient member = NativeClient.connect(server.ws("/ws"), "member")) {
      member.join("closing", Map.of("create", true));
      server.close();
      assertEquals(1001, idle.ws.awaitClose(10_000));
      assertEquals(1001, member.ws.awaitClose(10_000));
    }
  }
}
