package dev.livestate.server.metrics;

import dev.livestate.server.auth.AdminOnly;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics}: the meters in the Prometheus text format, for an admin token when the
 * server checks tokens. The text is rendered on a worker thread: reading the JVM's meters is
 * quick but not free, and the event loop serves clients.
 */
public final class MetricsRoute {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private MetricsRoute() {}

  public static void mount(Router router, Vertx vertx, AdminOnly admin, EngineMetrics metrics) {
    router.get("/metrics").handler(admin).handler(rc -> scrape(rc, vertx, metrics));
  }

  private static void scrape(RoutingContext rc, Vertx vertx, EngineMetrics metrics) {
    vertx.executeBlocking(metrics::scrape, false).onComplete(text -> {
      if (text.succeeded()) {
        rc.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(text.result());
      } else {
        rc.fail(text.cause());
      }
    });
  }
}
