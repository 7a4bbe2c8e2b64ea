package dev.livestate.server.http;

import dev.livestate.server.guard.ClientAddress;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds each client address (an IPv6 /64, as {@link ClientAddresses} decides it) to {@code
 * limits.max-connections-per-address} open TCP connections, whatever they carry: a WebSocket of
 * any surface, Socket.IO polling, plain HTTP. Counting connections rather than WebSocket upgrades
 * is what protects the server, since an idle keep-alive connection holds a socket and its buffers
 * as much as a WebSocket does.
 *
 * <p>A connection past the limit is not counted; its first request is answered 429 and the
 * connection closed, so a WebSocket client sees why its upgrade failed. One that sends nothing
 * is closed after {@value #REFUSED_GRACE_MILLIS} ms.
 *
 * <p>A trusted proxy's connection names its client only in its requests' headers, so it is
 * counted from its first request on, for the client that request came from; should a later
 * request on it come from another client (a proxy reusing connections), it is counted for that
 * one from then on. One refused is answered 429 and closed the same way. The proxy's own
 * connections, before they carry a request, are not counted: it is trusted. Thread-safe.
 */
public final class ConnectionsPerAddress {
  static final long REFUSED_GRACE_MILLIS = 2000;

  private final Vertx vertx;
  private final int limit;
  private final ClientAddresses addresses;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();
  private final Set<HttpConnection> refused = ConcurrentHashMap.newKeySet();
  /** The client each trusted proxy's connection is counted for, once it carried a request. */
  private final Map<HttpConnection, String> proxiedFor = new ConcurrentHashMap<>();

  /** @param limit connections per address; 0 or less: no limit */
  public ConnectionsPerAddress(Vertx vertx, int limit, ClientAddresses addresses) {
    this.vertx = vertx;
    this.limit = limit;
    this.addresses = addresses;
  }

  /** The HTTP server's connection handler: counts each connection until it closes. */
  public void onConnection(HttpConnection connection) {
    if (limit <= 0 || addresses.trusts(connection.remoteAddress())) {
      return;
    }
    String address = ClientAddress.keyOf(connection.remoteAddress() == null ? "unknown"
        : connection.remoteAddress().hostAddress());
    if (admit(address)) {
      TransportInternals.onClosed(connection, () -> release(address));
      return;
    }
    refused.add(connection);
    TransportInternals.onClosed(connection, () -> refused.remove(connection));
    vertx.setTimer(REFUSED_GRACE_MILLIS, t -> connection.close());
  }

  /** Passes each request on to {@code next}, but answers one on a refused connection 429. */
  public Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
    if (limit <= 0) {
      return next;
    }
    return request -> {
      HttpConnection connection = request.connection();
      if (!refused.contains(connection) && countedForItsClient(request, connection)) {
        next.handle(request);
        return;
      }
      request.response().setStatusCode(429).putHeader("Connection", "close")
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("more than " + limit + " connections from your address"
              + " (limits.max-connections-per-address): close some first\n")
          .onComplete(done -> connection.close());
    };
  }

  /**
   * Whether a trusted proxy's connection is counted for the client of {@code request}, as it
   * is now or by moving it there; true for any other connection (counted when it opened).
   * Called on the connection's event loop, one request at a time.
   */
  private boolean countedForItsClient(HttpServerRequest request, HttpConnection connection) {
    if (!addresses.trusts(connection.remoteAddress())) {
      return true;
    }
    String client = ClientAddress.keyOf(addresses.of(request).address());
    String before = proxiedFor.get(connection);
    if (client.equals(before)) {
      return true;
    }
    if (before != null) {
      proxiedFor.remove(connection);
      release(before);
    }
    if (!admit(client)) {
      return false;
    }
    proxiedFor.put(connection, client);
    if (before == null) {
      TransportInternals.onClosed(connection, () -> {
        String last = proxiedFor.remove(connection);
        if (last != null) {
          release(last);
        }
      });
    }
    return true;
  }

  /** Counts a connection from {@code address} if it is within the limit. */
  boolean admit(String address) {
    boolean[] admitted = new boolean[1];
    open.compute(address, (a, n) -> {
      int count = n == null ? 0 : n;
      admitted[0] = count < limit;
      return admitted[0] ? count + 1 : n;
    });
    return admitted[0];
  }

  void release(String address) {
    open.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
  }

  /** Connections counted from {@code address} (its key) now. */
  int openFrom(String address) {
    return open.getOrDefault(ClientAddress.keyOf(address), 0);
  }
}
