package dev.livestate.server.cluster;

import dev.livestate.testkit.database.Prerequisite;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Redis the cluster tests use: 127.0.0.1:6379 ({@code LIVESTATE_TEST_REDIS_URL} points
 * elsewhere), each run under a key prefix of its own so runs in parallel never meet; its keys
 * are deleted when it closes.
 */
public final class TestRedis implements AutoCloseable {
  public static final String URL = System.getenv().getOrDefault("LIVESTATE_TEST_REDIS_URL",
      "redis://127.0.0.1:6379");

  final Vertx vertx = Vertx.vertx();
  final Redis client;
  public final String prefix = "livestate-test-" + UUID.randomUUID() + ":";

  public TestRedis() {
    if (URL.equals("redis://127.0.0.1:6379")) {
      Prerequisite.listening(6379, "Redis");
    }
    // each bus and leases object keeps connections of its own for its life
    client = Redis.createClient(vertx,
        new RedisOptions().setConnectionString(URL).setMaxPoolSize(64));
  }

  @Override
  public void close() throws Exception {
    try {
      client.send(Request.cmd(Command.EVAL)
              .arg("for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end")
              .arg(0).arg(prefix + "*"))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } finally {
      client.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }
}
