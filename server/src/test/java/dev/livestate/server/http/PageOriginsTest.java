package dev.livestate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every WebSocket surface checks the page a browser connects from ({@code Origin}) against its
 * {@code <surface>.origins} before the upgrade (403), and Socket.IO's polling answers CORS from
 * the same setting, with credentials only for an origin listed by name. By default the native
 * door takes this server's and this machine's pages in open mode, the compatibility surfaces
 * any page.
 */
class PageOriginsTest {
  static final String OK = "https://ok.example";
  static final String EVIL = "https://evil.example";
  static final String POLLING = "/socket.io/?EIO=4&transport=polling";
  /** Every WebSocket surface, as a client opens it. */
  static final List<String> SOCKETS = List.of("/ws", "/meet", "/sharedstate", "/logs/ws?site=x",
      "/socket.io/?EIO=4&transport=websocket");

  @RegisterExtension
  static final TestServer listed = TestServer.perClass(Map.of("store", "memory",
      "native.origins", OK, "uisync.origins", OK, "userstatus.origins", OK,
      "sharedstate.origins", OK, "meet.origins", OK, "synk.origins", OK));
  @RegisterExtension
  static final TestServer defaults = TestServer.perClass(Map.of("store", "memory"));

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @Test
  void aWebSocketUpgradeFromAPageNotAllowedIsRefusedOnEverySurface() throws Exception {
    for (String path : SOCKETS) {
      assertEquals(403, listed.upgradeStatus(path, "Origin", EVIL), path);
      assertEquals(403, listed.upgradeStatus(path, "Origin", "null"), path + ": a sandboxed page");
    }
  }

  @Test
  void anAllowedPageAndAClientThatIsNoPageUpgradeOnEverySurface() throws Exception {
    for (String path : SOCKETS) {
      assertEquals(101, listed.upgradeStatus(path, "Origin", OK), path);
      assertEquals(101, listed.upgradeStatus(path), path + ": no Origin, no page");
    }
  }

  @Test
  void byDefaultTheNativeDoorTakesOnlyThisServersAndThisMachinesPages() throws Exception {
    assertEquals(403, defaults.upgradeStatus("/ws", "Origin", EVIL));
    assertEquals(101, defaults.upgradeStatus("/ws", "Origin", "http://localhost:5173"));
    assertEquals(101, defaults.upgradeStatus("/ws", "Origin",
        "http://127.0.0.1:" + defaults.port()));
    HttpResponse<String> api = defaults.send("GET", "/api/rooms", "Origin", EVIL);
    assertEquals(403, api.statusCode());
    assertTrue(api.body().contains("\"code\":\"forbidden\""), api.body());
    assertEquals(200, defaults.send("GET", "/api/rooms", "Origin", "http://localhost:3000")
        .statusCode());
  }

  @Test
  void byDefaultTheCompatibilitySurfacesTakeAnyPage() throws Exception {
    for (String path : SOCKETS.subList(1, SOCKETS.size())) {
      assertEquals(101, defaults.upgradeStatus(path, "Origin", EVIL), path);
    }
  }

  @Test
  void socketIoPollingFromAnyPageByDefaultGetsNoCredentials() throws Exception {
    HttpResponse<String> handshake = defaults.send("GET", POLLING, "Origin", EVIL);
    assertEquals(200, handshake.statusCode());
    assertEquals("*", header(handshake, "Access-Control-Allow-Origin"));
    assertNull(header(handshake, "Access-Control-Allow-Credentials"));
    HttpResponse<String> preflight = defaults.send("OPTIONS", POLLING, "Origin", EVIL,
        "Access-Control-Request-Method", "POST");
    assertEquals(204, preflight.statusCode());
    assertNull(header(preflight, "Access-Control-Allow-Credentials"));
  }

  @Test
  void socketIoPollingGivesCredentialsToAListedPageAndRefusesOthers() throws Exception {
    HttpResponse<String> handshake = listed.send("GET", POLLING, "Origin", OK);
    assertEquals(200, handshake.statusCode());
    assertEquals(OK, header(handshake, "Access-Control-Allow-Origin"));
    assertEquals("true", header(handshake, "Access-Control-Allow-Credentials"));
    HttpResponse<String> refused = listed.send("GET", POLLING, "Origin", EVIL);
    assertEquals(403, refused.statusCode());
    assertFalse(refused.headers().map().containsKey("access-control-allow-credentials"));
    assertEquals(403, listed.send("OPTIONS", POLLING, "Origin", EVIL,
        "Access-Control-Request-Method", "POST").statusCode());
    assertEquals(200, listed.get(POLLING).statusCode(), "no Origin, no page");
  }

  @Test
  void aRefusedPageIsToldInItsSurfacesOwnErrorShape() throws Exception {
    assertTrue(listed.send("GET", "/logs/recent-logs?site=x&after_time=0", "Origin", EVIL)
        .body().startsWith("{\"error\":\"pages from origin https://evil.example may not use"));
    HttpResponse<String> synk = listed.post("/synk/c", "{\"c\":\"ada\"}", "Origin", EVIL);
    assertEquals(403, synk.statusCode());
    assertTrue(synk.body().contains("synk.origins"), synk.body());
    assertEquals(0, listed.server().engine().rooms().stream()
        .filter(r -> r.name().equals("synk:c")).count(), "the refused post was not applied");
  }
}
