package dev.livestate.server.adapter.uisync;

import dev.livestate.testkit.websocket.WebSocketClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A websocket-only Engine.IO 4 client at the frame level, a thin layer over the one
 * {@link WebSocketClient}, so a test can send frames of an exact size or shape and see the close
 * code. It answers the server's pings ({@code 2} → {@code 3}) from the receiving thread unless
 * told to play dead, and notes when each ping came.
 */
final class EngineIoClient implements AutoCloseable {
  private final WebSocketClient ws;
  private final List<Long> pingsAt;
  private String handshake;

  private EngineIoClient(WebSocketClient ws, List<Long> pingsAt) {
    this.ws = ws;
    this.pingsAt = pingsAt;
  }

  /** Opens the WebSocket and completes the Socket.IO connect (through confirm_connect). */
  static EngineIoClient connect(int port, boolean answerPings) throws Exception {
    EngineIoClient c = open(port, answerPings, "");
    c.send("40");
    c.next(f -> f.startsWith("40{"));
    c.next(f -> f.startsWith("42[\"confirm_connect\""));
    return c;
  }

  static EngineIoClient connect(int port) throws Exception {
    return connect(port, true);
  }

  /**
   * Opens the WebSocket, with {@code query} added to its URL (e.g. {@code &token=...}), through
   * the Engine.IO handshake: the test sends the Socket.IO connect ({@code 40}, or {@code 40}
   * with an auth object) itself.
   */
  static EngineIoClient open(int port, boolean answerPings, String query) throws Exception {
    List<Long> pingsAt = new CopyOnWriteArrayList<>();
    WebSocketClient ws = WebSocketClient.connect("ws://127.0.0.1:" + port
        + "/socket.io/?EIO=4&transport=websocket" + query, (client, frame) -> {
          if (frame.equals("2")) {
            pingsAt.add(System.nanoTime());
            if (answerPings) {
              client.sendLater("3");
            }
          }
        });
    EngineIoClient c = new EngineIoClient(ws, pingsAt);
    c.handshake = c.next(f -> f.startsWith("0{"));
    return c;
  }

  EngineIoClient send(String frame) {
    ws.send(frame);
    return this;
  }

  /** The Engine.IO open packet ({@code 0{...}}) the server sent first. */
  String handshake() {
    return handshake;
  }

  /** Waits for and takes the next not yet taken frame matching {@code test}. */
  String next(Predicate<String> test) {
    return ws.nextText(test);
  }

  /** Sends {@code my_ping} and waits for its {@code my_pong}: the connection still works. */
  void roundTrip() {
    send("42[\"my_ping\"]");
    next(f -> f.equals("42[\"my_pong\"]"));
  }

  /** When each ping arrived, by {@link System#nanoTime}. */
  List<Long> pingsAt() {
    return List.copyOf(pingsAt);
  }

  /** The close code the server sent, waiting at most {@code timeoutMillis}. */
  int awaitClose(long timeoutMillis) throws Exception {
    return ws.awaitClose(timeoutMillis);
  }

  boolean isOpen() {
    return ws.isOpen();
  }

  long openedAt() {
    return ws.openedAt();
  }

  long closedAt() {
    return ws.closedAt();
  }

  @Override
  public void close() {
    ws.close();
  }
}
