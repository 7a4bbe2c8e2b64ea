package dev.livestate.server.auth;

import dev.livestate.protocol.ErrorCode;
import dev.livestate.protocol.HttpApiCodec;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets a request through to the operator's routes (metrics, the console) only with an admin
 * token when the server checks tokens; in open mode everyone is let through, as everyone may do
 * everything there. The token comes as a bearer header, or as {@code ?token=} where a browser
 * cannot set headers (a WebSocket, a page's first load). Refusals are the HTTP API's errors.
 */
public final class AdminOnly implements Handler<RoutingContext> {
  private final Gate gate;

  public AdminOnly(Gate gate) {
    this.gate = gate;
  }

  @Override
  public void handle(RoutingContext rc) {
    if (!gate.tokens()) {
      rc.next();
      return;
    }
    try {
      String token = Gate.bearer(rc.request().getHeader("Authorization"));
      if (token == null) {
        token = rc.queryParams().get("token");
      }
      if (gate.permit(token).admin()) {
        rc.next();
      } else {
        refuse(rc, 403, ErrorCode.FORBIDDEN, "an operator's (admin) token is needed here");
      }
    } catch (InvalidToken e) {
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      refuse(rc, 401, ErrorCode.UNAUTHORIZED, e.getMessage());
    }
  }

  private static void refuse(RoutingContext rc, int status, ErrorCode code, String message) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(HttpApiCodec.error(code, message));
  }
}
