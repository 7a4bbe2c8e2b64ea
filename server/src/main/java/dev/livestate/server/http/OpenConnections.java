package dev.livestate.server.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The WebSockets one surface has open: each wrapped in a {@link Connection} and wired to the
 * surface's session for it, and all closed together when the server shuts down.
 */
public final class OpenConnections {
  /** One client's traffic as a surface's protocol handles it. */
  public interface Session {
    void onText(String text);

    /** Binary messages are no part of these protocols; the session answers as its protocol says. */
    void onBinary();

    /** The client is gone: closed, or dropped for not reading (then possibly off the event loop). */
    void onClose();
  }

  private final Set<Connection> open = ConcurrentHashMap.newKeySet();

  /**
   * Wires {@code ws} (upgraded from {@code transport}) to a new session.
   *
   * @param onError sees each socket error before the connection acts on it (logging); may be null
   */
  public void accept(ServerWebSocket ws, HttpConnection transport, Limits limits,
      Function<Connection, Session> newSession, Consumer<Throwable> onError) {
    Connection connection = new Connection(ws, transport, limits);
    Session session = newSession.apply(connection);
    open.add(connection);
    connection.onDrop(session::onClose);
    ws.textMessageHandler(session::onText);
    ws.binaryMessageHandler(b -> session.onBinary());
    ws.exceptionHandler(e -> {
      if (onError != null) {
        onError.accept(e);
      }
      connection.failed(e);
    });
    ws.closeHandler(v -> {
      connection.closed();
      open.remove(connection);
      session.onClose();
    });
  }

  /** Closes every connection as "going away" (1001). */
  public void closeAll() {
    for (Connection c : open) {
      c.close((short) 1001, "server shutting down");
    }
  }
}
