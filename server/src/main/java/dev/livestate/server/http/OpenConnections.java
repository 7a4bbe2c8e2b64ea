package dev.livestate.server.http;

import dev.livestate.access.Home;
import dev.livestate.engine.EngineListener;
import dev.livestate.protocol.CloseReason;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The WebSockets one surface has open: each wrapped in a {@link Connection} and wired to the
 * surface's session for it, and all closed together when the server shuts down.
 */
public final class OpenConnections {
  private static final String SHUTTING_DOWN = "server shutting down";

  /** One client's traffic as a surface's protocol handles it. */
  public interface Session {
    void onText(String text);

    /** Binary messages are no part of these protocols; the session answers as its protocol says. */
    void onBinary();

    /** The client is gone: closed, or dropped for not reading (then possibly off the event loop). */
    void onClose();

    /** The client's id as its protocol names it, or null when it has none (yet). */
    default String clientId() {
      return null;
    }

    /** The rooms the client follows now. */
    default List<String> rooms() {
      return List.of();
    }
  }

  /** The longest {@link #closeAll} waits for clients to answer the close. */
  private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final String surface;
  private final Map<Connection, Session> open = new ConcurrentHashMap<>();
  /** Notified whenever a connection of {@link #open} goes away. */
  private final Object gone = new Object();
  private volatile boolean closing;

  /** @param home the surface whose connections these are, as the engine's listener is told */
  public OpenConnections(Home home) {
    this.surface = home.label();
  }

  /**
   * Wires {@code ws} (upgraded from {@code transport}, for {@code client}) to a new session.
   *
   * @param listener told when the connection opens and closes (metrics)
   * @param onError sees each socket error before the connection acts on it (logging); may be null
   */
  public void accept(ServerWebSocket ws, HttpConnection transport, RemoteClient client,
      Limits limits, EngineListener listener, Function<Connection, Session> newSession,
      Consumer<Throwable> onError) {
    Connection connection = new Connection(ws, transport, client, limits);
    Session session = newSession.apply(connection);
    open.put(connection, session);
    listener.connectionOpened(surface);
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
      listener.connectionClosed(surface, connection.closeReason());
      session.onClose();
      synchronized (gone) {
        gone.notifyAll();
      }
    });
    if (closing) {
      // accepted while the server was shutting down: closeAll may have missed it
      connection.close(CloseReason.GOING_AWAY, SHUTTING_DOWN);
    }
  }

  /** The clients connected now, for the operator's console. */
  public List<ConnectedClients.Client> clients() {
    return open.entrySet().stream().map(e -> new ConnectedClients.Client(surface,
        e.getValue().clientId(), e.getKey().address(),
        e.getValue().rooms())).toList();
  }

  /**
   * Closes every connection as "going away" (1001), then waits (up to 10 s) for the clients to
   * answer the close, so that each one has its close frame before the HTTP server cuts the TCP
   * connections. Connections accepted from now on are closed the same way. Blocks: never call it
   * on an event loop.
   */
  public void closeAll() {
    closing = true;
    for (Connection c : open.keySet()) {
      c.close(CloseReason.GOING_AWAY, SHUTTING_DOWN);
    }
    long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
    synchronized (gone) {
      long left;
      while (!open.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(gone, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
