package dev.livestate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livestate.testkit.websocket.WebSocketClient;
import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pins what the write path takes from Vert.x and Netty beyond their public APIs to the Vert.x in
 * use, on a real server and a real client: when Vert.x is upgraded and one of these fails, the
 * write path must be rechecked before {@link TransportInternals#CHECKED_WITH} is moved on.
 */
class TransportInternalsTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theVertxInUseIsTheOneTheseInternalsWereCheckedWith() throws Exception {
    try (InputStream in = Vertx.class.getResourceAsStream("/META-INF/vertx/vertx-version.txt")) {
      assertNotNull(in, "vertx-core names its version");
      assertEquals(TransportInternals.CHECKED_WITH,
          new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    }
  }

  @Test
  void framesWrittenPastThePipelineReachTheClientAndAResetDropsItWithoutACloseFrame()
      throws Exception {
    AtomicReference<Channel> channel = new AtomicReference<>();
    CountDownLatch upgraded = new CountDownLatch(1);
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      Channel c = TransportInternals.channel(req.connection());
      req.toWebSocket().onSuccess(ws -> {
        channel.set(c);
        upgraded.countDown();
      });
    }).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    WebSocketClient client =
        WebSocketClient.connect("ws://127.0.0.1:" + server.actualPort() + "/");
    assertTrue(upgraded.await(10, TimeUnit.SECONDS));
    Channel c = channel.get();
    assertNotNull(c, "a Vert.x HTTP connection exposes its Netty channel");

    c.eventLoop().execute(() -> {
      assertNotNull(TransportInternals.unsent(c), "an open socket has a send buffer");
      TransportInternals.writePastPipeline(c,
          Frame.shared("past the pipeline".getBytes(StandardCharsets.UTF_8)).wire());
      TransportInternals.flushPastPipeline(c);
    });
    assertEquals("past the pipeline", client.nextText(text -> true));

    c.eventLoop().execute(() -> TransportInternals.reset(c));
    assertEquals(WebSocketClient.DROPPED, client.awaitClose(10_000),
        "a reset sends no close frame");
    CompletableFuture<Object> after = new CompletableFuture<>();
    c.eventLoop().execute(() -> after.complete(TransportInternals.unsent(c)));
    assertNull(after.get(10, TimeUnit.SECONDS), "a closed channel has no send buffer");
  }

  @Test
  void aTextFrameGoesOutAsTheBytesItWasGiven() throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.toWebSocket()
        .onSuccess(ws -> ws.writeFrame(TransportInternals.textFrame(
            "é as UTF-8".getBytes(StandardCharsets.UTF_8)))))
        .listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    WebSocketClient client =
        WebSocketClient.connect("ws://127.0.0.1:" + server.actualPort() + "/");

    assertEquals("é as UTF-8", client.nextText(text -> true));
  }

  @Test
  void theMultiProducerQueueTakesFromManyThreadsAndGivesToOne() throws Exception {
    Queue<Integer> queue = TransportInternals.multiProducerQueue();
    Thread[] producers = new Thread[4];
    for (int t = 0; t < producers.length; t++) {
      int base = t * 1000;
      producers[t] = new Thread(() -> {
        for (int i = 0; i < 1000; i++) {
          queue.offer(base + i);
        }
      });
      producers[t].start();
    }
    for (Thread p : producers) {
      p.join(10_000);
    }
    int n = 0;
    while (queue.poll() != null) {
      n++;
    }
    assertEquals(4000, n);
  }
}
