package dev.livestate.server.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;

/**
 * How a WebSocket endpoint is mounted, the same on every surface: an upgrade from a page the
 * surface's {@link Origins} do not allow is refused (403) before it becomes a WebSocket, since
 * browsers let any page open a WebSocket to any server and only the {@code Origin} header tells
 * whose page it is.
 */
public final class WebSocketRoute {
  private WebSocketRoute() {}

  /** Whether the request asks to become a WebSocket. */
  public static boolean isUpgrade(RoutingContext rc) {
    return "websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"));
  }

  /**
   * Whether the request's page may use the surface; if not, it has been answered 403 (a surface
   * that checks more before upgrading asks this first, so a refused page learns nothing else).
   */
  public static boolean admitted(RoutingContext rc, Origins origins) {
    String origin = rc.request().getHeader("Origin");
    if (origins.allows(origin, rc.request().getHeader("Host"))) {
      return true;
    }
    rc.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(origins.refusal(origin) + "\n");
    return false;
  }

  /**
   * Upgrades the request if its page may use the surface (else answers 403). {@code accept}
   * gets the socket and the HTTP connection it was upgraded from, which a {@link Connection}
   * needs for direct writes (it is no longer reachable from the socket once upgraded).
   */
  public static void upgrade(RoutingContext rc, Origins origins,
      BiConsumer<ServerWebSocket, HttpConnection> accept) {
    if (!admitted(rc, origins)) {
      return;
    }
    HttpConnection transport = rc.request().connection();
    rc.request().toWebSocket().onSuccess(ws -> {
      accept.accept(ws, transport);
      // a surface reads what it needs of the upgrade request there; kept, the headers would
      // cost every idle connection some 800 bytes of heap for as long as it stays open
      ws.headers().clear();
    });
  }

  /**
   * A route that upgrades every WebSocket request and answers any other with 400 and a line
   * saying what the endpoint is (a person who opened it in a browser learns where they are).
   */
  public static Handler<RoutingContext> endpoint(String what, Origins origins,
      BiConsumer<ServerWebSocket, HttpConnection> accept) {
    return rc -> {
      if (isUpgrade(rc)) {
        upgrade(rc, origins, accept);
      } else {
        rc.response().setStatusCode(400).end("this is the " + what + " WebSocket endpoint\n");
      }
    };
  }
}
