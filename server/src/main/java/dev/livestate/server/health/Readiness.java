package dev.livestate.server.health;

import dev.livestate.engine.Engine;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code GET /ready}: 200 while this node can serve, 503 while it cannot — when a store does not
 * commit a probe within the timeout, in cluster mode while the node is not in its cluster
 * (decision 022), or once shutdown has begun. Unlike {@code /healthz}, which
 * reports what the last writes met, each check asks the stores now, so a database that went
 * away while nobody wrote is noticed. Checks that arrive while a probe is under way share it,
 * so a busy prober costs the store one small write at a time. Never blocks an event loop: the
 * probe runs on the stores' writer threads and the answer is sent from the request's context.
 */
public final class Readiness {
  private final Vertx vertx;
  private final Engine engine;
  private final long timeoutMillis;
  private final Supplier<String> cluster;
  private volatile boolean draining;
  /** The checks waiting for the probe under way; null when none is. Guarded by this. */
  private List<Consumer<String>> waiting;

  /**
   * @param cluster what keeps this node out of its cluster now, or null when nothing does (a
   *     single node's always answers null)
   */
  public Readiness(Vertx vertx, Engine engine, Duration timeout, Supplier<String> cluster) {
    this.vertx = vertx;
    this.engine = engine;
    this.timeoutMillis = Math.max(1, timeout.toMillis());
    this.cluster = cluster;
  }

  public void mount(Router router) {
    router.get("/ready").handler(this::ready);
  }

  /** From now on the node answers unready: shutdown's first step, before connections drain. */
  public void drain() {
    draining = true;
  }

  private void ready(RoutingContext rc) {
    if (draining) {
      answer(rc, "shutting down");
      return;
    }
    String outOfCluster = cluster.get();
    if (outOfCluster != null) {
      answer(rc, outOfCluster);
      return;
    }
    Context context = vertx.getOrCreateContext();
    boolean[] answered = new boolean[1];
    long timer = vertx.setTimer(timeoutMillis, t -> {
      answered[0] = true;
      answer(rc, "the store did not answer within " + timeoutMillis + " ms");
    });
    check(problem -> context.runOnContext(v -> {
      if (!answered[0]) {
        answered[0] = true;
        vertx.cancelTimer(timer);
        answer(rc, draining ? "shutting down" : problem);
      }
    }));
  }

  /** Probes the stores, or joins the probe under way; {@code done} gets null or what is wrong. */
  private void check(Consumer<String> done) {
    synchronized (this) {
      if (waiting != null) {
        waiting.add(done);
        return;
      }
      waiting = new ArrayList<>(List.of(done));
    }
    engine.probeStores(failure -> {
      List<Consumer<String>> all;
      synchronized (this) {
        all = waiting;
        waiting = null;
      }
      String problem =
          failure == null ? null : "the store failed its probe: " + failure.getMessage();
      all.forEach(c -> c.accept(problem));
    });
  }

  private static void answer(RoutingContext rc, String problem) {
    String body = problem == null ? "{\"status\":\"ready\"}"
        : "{\"status\":\"unready\",\"reason\":" + Json.encode(problem) + "}";
    rc.response().setStatusCode(problem == null ? 200 : 503)
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(body);
  }
}
