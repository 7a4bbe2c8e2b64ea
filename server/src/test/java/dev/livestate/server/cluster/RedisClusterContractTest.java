package dev.livestate.server.cluster;

import dev.livestate.cluster.Bus;
import dev.livestate.cluster.Leases;
import dev.livestate.testkit.cluster.ClusterContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The cluster contract on a real Redis; expiry takes real time here. */
class RedisClusterContractTest extends ClusterContract {
  private TestRedis redis;

  @BeforeEach
  void connect() {
    redis = new TestRedis();
  }

  @AfterEach
  void disconnect() throws Exception {
    redis.close();
  }

  @Override
  protected Bus newBus(String node) {
    return new RedisBus(redis.vertx, redis.client, redis.prefix, node);
  }

  @Override
  protected Leases newLeases(String node) {
    return new RedisLeases(redis.vertx, redis.client, redis.prefix, node);
  }

  @Override
  protected void elapse(Duration time) throws InterruptedException {
    Thread.sleep(time.toMillis());
  }
}
