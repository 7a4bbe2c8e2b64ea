package dev.livestate.server;

import dev.livestate.engine.EngineListener;
import dev.livestate.server.auth.AdminOnly;
import dev.livestate.server.cluster.ClusterNode;
import dev.livestate.server.config.OperationsSettings;
import dev.livestate.server.config.Settings;
import dev.livestate.server.console.ConsoleRoutes;
import dev.livestate.server.health.Readiness;
import dev.livestate.server.http.ClientGone;
import dev.livestate.server.metrics.EngineMetrics;
import dev.livestate.server.metrics.MetricsRoute;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * What the server offers its operator beside the surfaces: the engine's meters at
 * {@code /metrics}, readiness at {@code /ready}, the live console at {@code /console}, and an
 * error log of real errors only (a client that went away is not one). Built before the engine,
 * whose listener it is, and mounted with the surfaces.
 */
final class Operator implements AutoCloseable {
  private final Settings settings;
  private final EngineMetrics metrics = new EngineMetrics();
  private Readiness readiness;
  private long consoleTimer = -1;
  private Vertx vertx;

  Operator(Settings settings) {
    this.settings = settings;
  }

  /** The listener to give the engine. */
  EngineListener listener() {
    return metrics;
  }

  /** Mounts the routes; {@code node} is this server as a cluster node, null on a single node. */
  void mount(ServerContext context, ClusterNode node) {
    vertx = context.vertx();
    if (node != null) {
      metrics.watchCluster(node::liveNodes, node.ownership()::roomsTaken,
          node.ownership()::roomsLost);
    }
    readiness = new Readiness(context.vertx(), context.engine(),
        settings.get(OperationsSettings.READY_TIMEOUT), node == null ? () -> null : node::unready);
    readiness.mount(context.router());
    AdminOnly admin = new AdminOnly(context.gate());
    MetricsRoute.mount(context.router(), context.vertx(), admin, metrics);
    consoleTimer = ConsoleRoutes.mount(context.router(), context.vertx(), admin, context.engine(),
        metrics, context.clients(), context.json());
    context.router().route().failureHandler(ClientGone.routerFailures());
  }

  /**
   * Shutdown's first step: answer unready, and give load balancers {@code shutdown.unready-delay}
   * to notice before connections are told to go. Blocks for that long.
   */
  void drain() {
    readiness.drain();
    vertx.cancelTimer(consoleTimer);
    Duration delay = settings.get(OperationsSettings.UNREADY_DELAY);
    if (!delay.isZero()) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    metrics.close();
  }
}
