package dev.livestate.server.adapter.uisync;

import io.socket.engineio.server.EngineIoWebSocket;
import io.socket.engineio.server.utils.ParseQS;
import dev.livestate.server.http.Connection;
import dev.livestate.server.http.Limits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.Map;

/**
 * A Vert.x WebSocket as engine.io-server's transport sees it. Writes are thread-safe and capped
 * through a {@link Connection}: a client that lets more than {@code limits.maxQueuedBytes()} pile
 * up is disconnected rather than growing the server's memory. Incoming messages larger than
 * {@code maxMessageBytes} close the connection (as the Node server's maxHttpBufferSize does).
 */
final class VertxEngineWebSocket extends EngineIoWebSocket {
  private final ServerWebSocket socket;
  private final Connection connection;
  private final Map<String, String> query;
  private final Map<String, List<String>> headers;

  VertxEngineWebSocket(ServerWebSocket socket, HttpConnection transport, long maxMessageBytes,
      Limits limits) {
    this.socket = socket;
    this.connection = new Connection(socket, transport, limits);
    this.query = ParseQS.decode(socket.query());
    // nothing here reads handshake headers (CORS is answered by the routes): keep none, they
    // would cost each idle connection a map of a dozen strings
    this.headers = Map.of();
    socket.textMessageHandler(text -> {
      if (text.length() > maxMessageBytes) {
        connection.close(Connection.MESSAGE_TOO_BIG, "message too big");
        return;
      }
      deliver(text);
    });
    socket.binaryMessageHandler(b -> {
      if (b.length() > maxMessageBytes) {
        connection.close(Connection.MESSAGE_TOO_BIG, "message too big");
        return;
      }
      deliver(b.getBytes());
    });
    socket.exceptionHandler(e -> emit("error", "websocket error", String.valueOf(e.getMessage())));
    socket.closeHandler(v -> {
      connection.closed();
      emit("close");
    });
  }

  /**
   * Hands an incoming message to engine.io-server. A payload the library's JSON decoder cannot
   * survive (nesting deep enough to overflow its recursion) closes this connection only.
   */
  private void deliver(Object message) {
    try {
      emit("message", message);
    } catch (StackOverflowError e) {
      connection.close((short) 1007, "message nested too deeply");
    }
  }

  @Override
  public Map<String, String> getQuery() {
    return query;
  }

  @Override
  public Map<String, List<String>> getConnectionHeaders() {
    return headers;
  }

  @Override
  public void write(String message) {
    connection.send(message);
  }

  @Override
  public void write(byte[] message) {
    if (!connection.isClosed()) {
      socket.writeFinalBinaryFrame(Buffer.buffer(message));
    }
  }

  /** Thread-safe sends of pre-encoded Engine.IO text frames, shared with other sockets. */
  Connection connection() {
    return connection;
  }

  @Override
  public void close() {
    connection.close((short) 1000, "");
  }
}
