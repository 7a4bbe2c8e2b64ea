package dev.livestate.server.adapter.uisync;

import dev.livestate.protocol.CloseReason;
import io.socket.engineio.server.Emitter;
import io.socket.engineio.server.EngineIoWebSocket;
import io.socket.engineio.server.utils.ParseQS;
import dev.livestate.server.http.Connection;
import dev.livestate.server.http.Limits;
import dev.livestate.server.http.RemoteClient;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Vert.x WebSocket as engine.io-server's transport sees it. Writes are thread-safe and capped
 * through a {@link Connection}: a client that lets more than {@code limits.maxQueuedBytes()} pile
 * up is disconnected rather than growing the server's memory. Incoming messages larger than
 * {@code maxMessageBytes} (in UTF-8 bytes) close the connection with 1009 (as the Node server's
 * maxHttpBufferSize does); messages nested deeper than {@link Nesting#limit} close it with 1007.
 */
final class VertxEngineWebSocket extends EngineIoWebSocket {
  /** What every handshake's query holds; interned, each is one string for all connections. */
  private static final Set<String> COMMON =
      Set.of("EIO", "3", "4", "transport", "websocket", "polling", "sid");

  private final ServerWebSocket socket;
  private final Connection connection;
  private final Map<String, String> query;
  private final Map<String, List<String>> headers;
  /**
   * Event, listener, event, listener... engine.io-server's transport sets three listeners once
   * (message, close, error); the library's Emitter would hold them in a concurrent map of queues,
   * some 400 bytes of each idle connection. Replaced whole on each change, read without a lock.
   */
  private volatile Object[] listeners = {};

  VertxEngineWebSocket(ServerWebSocket socket, Map<String, String> query, HttpConnection transport,
      RemoteClient client, long maxMessageBytes, Limits limits) {
    this.socket = socket;
    this.connection = new Connection(socket, transport, client, limits);
    this.query = compact(query);
    // nothing here reads handshake headers (CORS is answered by the routes): keep none, they
    // would cost each idle connection a map of a dozen strings
    this.headers = Map.of();
    int maxDepth = Nesting.limit(limits.maxJsonDepth());
    socket.textMessageHandler(text -> {
      if (utf8Length(text, maxMessageBytes) > maxMessageBytes) {
        connection.close(CloseReason.MESSAGE_TOO_BIG, "message too big");
        return;
      }
      if (Nesting.deeperThan(text, maxDepth)) {
        connection.close(CloseReason.INVALID_MESSAGE, "message nested too deeply");
        return;
      }
      deliver(text);
    });
    socket.binaryMessageHandler(b -> {
      if (b.length() > maxMessageBytes) {
        connection.close(CloseReason.MESSAGE_TOO_BIG, "message too big");
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
   * A request's query, empty when it repeats a name or does not decode, which the caller answers
   * as a bad request.
   */
  static Optional<Map<String, String>> query(String raw) {
    try {
      return Optional.of(ParseQS.decode(raw == null ? "" : raw));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The handshake's query as held for the connection's life: a compact map whose usual keys and
   * values are shared rather than copied per connection (some 300 bytes each).
   */
  private static Map<String, String> compact(Map<String, String> query) {
    Map<String, String> held = new HashMap<>(query.size());
    query.forEach((k, v) -> held.put(shared(k), shared(v)));
    return Map.copyOf(held);
  }

  private static String shared(String s) {
    return COMMON.contains(s) ? s.intern() : s;
  }

  /**
   * The text's size in UTF-8, as far as it matters against {@code max}: a character is one to
   * three bytes (a surrogate pair four), so only a text between max/3 and max characters is
   * counted.
   */
  static long utf8Length(String text, long max) {
    long chars = text.length();
    if (chars > max || chars * 3 <= max) {
      return chars;
    }
    return ByteBufUtil.utf8Bytes(text);
  }

  /**
   * Hands an incoming message to engine.io-server. Should a payload still overflow the library's
   * recursive decoder, this connection alone is closed.
   */
  private void deliver(Object message) {
    try {
      emit("message", message);
    } catch (StackOverflowError e) {
      connection.close(CloseReason.INVALID_MESSAGE, "message nested too deeply");
    }
  }

  @Override
  public synchronized Emitter on(String event, Listener fn) {
    Object[] grown = Arrays.copyOf(listeners, listeners.length + 2);
    grown[listeners.length] = event;
    grown[listeners.length + 1] = fn;
    listeners = grown;
    return this;
  }

  @Override
  public Emitter emit(String event, Object... args) {
    Object[] current = listeners;
    for (int i = 0; i < current.length; i += 2) {
      if (current[i].equals(event)) {
        try {
          ((Listener) current[i + 1]).call(args);
        } catch (RuntimeException e) {
          // as the library's Emitter: one listener's failure neither stops the others nor
          // reaches the event loop (the transport answers a bad packet itself)
        }
      }
    }
    return this;
  }

  @Override
  public synchronized Emitter off() {
    listeners = new Object[0];
    return this;
  }

  @Override
  public Emitter off(String event) {
    return without(event, null);
  }

  @Override
  public Emitter off(String event, Listener fn) {
    return without(event, fn);
  }

  /** Drops the event's listeners, or only {@code fn} (each registration of it) when given. */
  private synchronized Emitter without(String event, Listener fn) {
    Object[] current = listeners;
    Object[] kept = new Object[current.length];
    int n = 0;
    for (int i = 0; i < current.length; i += 2) {
      if (!current[i].equals(event) || (fn != null && current[i + 1] != fn)) {
        kept[n++] = current[i];
        kept[n++] = current[i + 1];
      }
    }
    listeners = Arrays.copyOf(kept, n);
    return this;
  }

  @Override
  public List<Listener> listeners(String event) {
    Object[] current = listeners;
    List<Listener> found = new ArrayList<>();
    for (int i = 0; i < current.length; i += 2) {
      if (current[i].equals(event)) {
        found.add((Listener) current[i + 1]);
      }
    }
    return Collections.unmodifiableList(found);
  }

  @Override
  public boolean hasListeners(String event) {
    return !listeners(event).isEmpty();
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
    connection.close(CloseReason.NORMAL, "");
  }

  /**
   * Closes as "going away" (1001): the server is shutting down, so socket.io-client's reconnect
   * should find it (or its successor) again. engine.io-server's own close would say 1000.
   */
  void goAway() {
    connection.close(CloseReason.GOING_AWAY, "server shutting down");
  }
}
