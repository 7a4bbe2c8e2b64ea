package dev.livestate.server.adapter.uisync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.server.fuzz.WireAssertions;
import dev.livestate.server.http.RemoteClient;
import io.socket.engineio.server.Emitter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket keeps its listeners itself rather than in the library's Emitter map: whatever
 * engine.io-server (or a later version of it) does with them must behave as the Emitter does.
 */
class VertxEngineWebSocketListenersTest {
  private final Vertx vertx = Vertx.vertx();
  private VertxEngineWebSocket socket;

  @BeforeEach
  void accept() throws Exception {
    CompletableFuture<VertxEngineWebSocket> accepted = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      var transport = req.connection();
      req.toWebSocket().onSuccess(ws -> accepted.complete(new VertxEngineWebSocket(ws,
          Map.of("EIO", "4"), transport, new RemoteClient("127.0.0.1", "127.0.0.1", false),
          1 << 20, WireAssertions.serverLimits())));
    });
    int port = server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
    vertx.createHttpClient().webSocket(port, "127.0.0.1", "/");
    socket = accepted.get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void eachEventCallsItsListenersInOrderAndAOnceListenerOnce() {
    List<String> calls = new CopyOnWriteArrayList<>();
    socket.on("message", args -> calls.add("a " + args[0]));
    socket.once("message", args -> calls.add("once " + args[0]));
    socket.on("message", args -> calls.add("b " + args[0]));
    socket.on("close", args -> calls.add("closed"));
    socket.emit("message", "1");
    socket.emit("message", "2");
    assertEquals(List.of("a 1", "once 1", "b 1", "a 2", "b 2"), calls);
    assertEquals(2, socket.listeners("message").size());
  }

  @Test
  void offTakesAwayOneListenerAnEventsOrAll() {
    List<String> calls = new CopyOnWriteArrayList<>();
    Emitter.Listener a = args -> calls.add("a");
    socket.on("message", a);
    socket.on("message", args -> calls.add("b"));
    socket.on("error", args -> calls.add("error"));
    socket.off("message", a);
    socket.emit("message", "x");
    assertEquals(List.of("b"), calls);
    socket.off("message");
    assertFalse(socket.hasListeners("message"));
    assertTrue(socket.hasListeners("error"));
    socket.off();
    socket.emit("error", "reason", "description");
    assertEquals(List.of("b"), calls);
  }

  @Test
  void aListenerThatThrowsNeitherStopsTheNextNorReachesTheCaller() {
    List<String> calls = new CopyOnWriteArrayList<>();
    socket.on("close", args -> {
      throw new IllegalStateException("a listener's fault");
    });
    socket.on("close", args -> calls.add("closed"));
    socket.emit("close");
    assertEquals(List.of("closed"), calls);
  }
}
