package dev.livestate.server.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors that only say a client went away — a reset connection, a broken pipe, a socket closed
 * mid-request — which phones and laptops cause all day: logged at debug, never as the server's
 * error, so that the errors that remain in the log are ones an operator should read.
 */
public final class ClientGone {
  private static final Logger LOG = LoggerFactory.getLogger(ClientGone.class);

  private ClientGone() {}

  /** Whether {@code error} (or what caused it) only says that the client's connection ended. */
  public static boolean is(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof HttpClosedException || t instanceof ClosedChannelException) {
        return true;
      }
      String message = String.valueOf(t.getMessage());
      if (t instanceof IOException && (message.contains("Connection reset")
          || message.contains("Broken pipe") || message.contains("connection was aborted"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The router's last failure handler: a client that went away is logged at debug and not
   * answered; any other failure goes on to the router's error handlers ({@link ErrorShapes}),
   * which answer it in its surface's shape and log the server's own errors.
   */
  public static Handler<RoutingContext> routerFailures() {
    return rc -> {
      if (is(rc.failure())) {
        LOG.atDebug().addKeyValue("path", rc.normalizedPath()).log("client went away: {}",
            rc.failure().toString());
        return;
      }
      rc.next();
    };
  }
}
