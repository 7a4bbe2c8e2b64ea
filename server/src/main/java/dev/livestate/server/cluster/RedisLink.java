package dev.livestate.server.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to Redis, made again whenever it breaks. Commands sent on it are pipelined in
 * the order sent, which is what keeps one node's messages of a room in order. While it is down
 * every command fails at once (the caller decides what that means); once it is back, {@code
 * connected} runs, so a subscriber can subscribe again.
 */
final class RedisLink {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
  /** How long after a failed or lost connection the next attempt is made. */
  static final long RETRY_MILLIS = 250;

  private final Vertx vertx;
  private final Redis client;
  private final String name;
  private final Consumer<Response> pushes;
  private final Runnable connected;
  private volatile RedisConnection connection;
  private volatile boolean closed;
  private boolean warned;
  /** Done once the first connection is made: commands sent before it wait for it. */
  private final Promise<Void> first = Promise.promise();

  /**
   * @param pushes told of what Redis sends unasked (subscribed messages), one at a time
   * @param connected run each time the connection is made, the first time included
   */
  RedisLink(Vertx vertx, Redis client, String name, Consumer<Response> pushes,
      Runnable connected) {
    this.vertx = vertx;
    this.client = client;
    this.name = name;
    this.pushes = pushes;
    this.connected = connected;
    connect();
  }

  private void connect() {
    if (closed) {
      return;
    }
    client.connect().onComplete(made -> {
      if (made.failed()) {
        if (!warned) {
          warned = true;
          LOG.warn("Redis ({}) unreachable, trying again every {} ms: {}", name, RETRY_MILLIS,
              made.cause().toString());
        }
        vertx.setTimer(RETRY_MILLIS, t -> connect());
        return;
      }
      RedisConnection c = made.result();
      if (closed) {
        c.close();
        return;
      }
      c.handler(pushes::accept);
      c.exceptionHandler(e -> lost(c, e.toString()));
      c.endHandler(v -> lost(c, "closed by Redis"));
      connection = c;
      first.tryComplete();
      if (warned) {
        LOG.info("Redis ({}) reached again", name);
        warned = false;
      }
      connected.run();
    });
  }

  private void lost(RedisConnection c, String why) {
    synchronized (this) {
      if (connection != c) {
        return;
      }
      connection = null;
    }
    if (!closed) {
      LOG.warn("connection to Redis ({}) lost: {}", name, why);
      warned = true;
      c.close();
      vertx.setTimer(RETRY_MILLIS, t -> connect());
    }
  }

  boolean up() {
    return connection != null;
  }

  Future<Response> send(Request request) {
    RedisConnection c = connection;
    if (c == null && !first.future().isComplete()) {
      return first.future().compose(v -> send(request));
    }
    if (c == null) {
      return Future.failedFuture(new IllegalStateException("no connection to Redis (" + name + ")"));
    }
    return c.send(request);
  }

  void close() {
    closed = true;
    first.tryFail("closed");
    RedisConnection c = connection;
    connection = null;
    if (c != null) {
      c.close();
    }
  }
}
