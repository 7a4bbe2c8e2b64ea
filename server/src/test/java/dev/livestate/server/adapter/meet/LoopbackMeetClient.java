package dev.livestate.server.adapter.meet;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real WebSocket client of the meet protocol whose connection comes from a chosen loopback
 * address (127.0.0.2, 127.0.0.3, ...: all of 127/8 is the loopback on Linux), so the server
 * sees a remote address other than 127.0.0.1 without any test seam in the server. Records every
 * message it receives and may answer each one.
 */
final class LoopbackMeetClient implements AutoCloseable {
  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final WebSocketClient client;
  private final WebSocket ws;
  private volatile Consumer<JsonNode> onMessage = m -> { };

  LoopbackMeetClient(Vertx vertx, String localAddress, int port) throws Exception {
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setLocalAddress(localAddress).setMaxFrameSize(1 << 20));
    ws = client.connect(port, "127.0.0.1", "/meet").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    ws.textMessageHandler(text -> {
      try {
        JsonNode m = MeetClient.JSON.readTree(text);
        received.add(m);
        onMessage.accept(m);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Whether this machine lets a client bind to a loopback address other than 127.0.0.1. */
  static boolean loopbackAliasesWork() {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress("127.0.0.2", 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Called with each message received from now on, on the client's event loop. */
  void onMessage(Consumer<JsonNode> handler) {
    onMessage = handler;
  }

  void send(JsonNode message) {
    ws.writeTextMessage(message.toString());
  }

  long count(String type) {
    return received.stream().filter(m -> type.equals(m.path("msgType").asText())).count();
  }

  @Override
  public void close() {
    onMessage = m -> { };
    client.close();
  }
}
