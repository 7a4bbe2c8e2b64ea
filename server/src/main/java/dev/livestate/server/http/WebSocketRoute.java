package dev.livestate.server.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;

/** How a WebSocket endpoint is mounted, the same on every surface. */
public final class WebSocketRoute {
  private WebSocketRoute() {}

  /** Whether the request asks to become a WebSocket. */
  public static boolean isUpgrade(RoutingContext rc) {
    return "websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"));
  }

  /**
   * Upgrades the request. {@code accept} gets the socket and the HTTP connection it was upgraded
   * from, which a {@link Connection} needs for direct writes (it is no longer reachable from the
   * socket once upgraded).
   */
  public static void upgrade(RoutingContext rc, BiConsumer<ServerWebSocket, HttpConnection> accept) {
    HttpConnection transport = rc.request().connection();
    rc.request().toWebSocket().onSuccess(ws -> accept.accept(ws, transport));
  }

  /**
   * A route that upgrades every WebSocket request and answers any other with 400 and a line
   * saying what the endpoint is (a person who opened it in a browser learns where they are).
   */
  public static Handler<RoutingContext> endpoint(String what,
      BiConsumer<ServerWebSocket, HttpConnection> accept) {
    return rc -> {
      if (isUpgrade(rc)) {
        upgrade(rc, accept);
      } else {
        rc.response().setStatusCode(400).end("this is the " + what + " WebSocket endpoint\n");
      }
    };
  }
}
