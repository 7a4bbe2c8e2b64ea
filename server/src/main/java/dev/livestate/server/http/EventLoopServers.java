package dev.livestate.server.http;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP port served from several event loops: one HTTP server per loop, all on the same port.
 * Vert.x binds the port once and hands each accepted connection to the next of these servers in
 * turn, so a connection lives its whole life on one loop and the loops share the connections
 * (see docs/decisions/019-an-event-loop-per-core.md). The handlers are shared by every loop:
 * they, and whatever they reach, must be safe to call from several loops at once.
 */
public final class EventLoopServers {
  private final Vertx vertx;
  private String deployment;
  private int port;

  private EventLoopServers(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Listens with {@code loops} servers (more than Vert.x has event loops would share loops) and
   * returns once all of them listen; with port 0, on one free port they share.
   */
  public static EventLoopServers listen(Vertx vertx, HttpServerOptions options, int loops,
      Handler<HttpConnection> onConnection, Handler<HttpServerRequest> onRequest)
      throws Exception {
    EventLoopServers servers = new EventLoopServers(vertx);
    // Vert.x shares a port among servers that ask for the same one; port 0 would give each
    // server a port of its own, while a negative port is one free port that they share
    HttpServerOptions shared = options.getPort() == 0
        ? new HttpServerOptions(options).setPort(-1) : options;
    Set<Integer> ports = ConcurrentHashMap.newKeySet();
    servers.deployment = vertx.deployVerticle(() -> new AbstractVerticle() {
      @Override
      public void start(Promise<Void> started) {
        vertx.createHttpServer(shared).connectionHandler(onConnection).requestHandler(onRequest)
            .listen().onSuccess(s -> ports.add(s.actualPort())).<Void>mapEmpty()
            .onComplete(started);
      }
    }, new DeploymentOptions().setInstances(loops))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (ports.size() != 1) {
      servers.close();
      throw new IllegalStateException("the event loops' servers listen on ports " + ports);
    }
    servers.port = ports.iterator().next();
    return servers;
  }

  /** The port every server listens on. */
  public int port() {
    return port;
  }

  /** Stops listening and closes every connection still open (waits up to 10 s). */
  public void close() throws Exception {
    if (deployment != null) {
      vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      deployment = null;
    }
  }
}
