package dev.livestate.testkit.cluster;

import dev.livestate.cluster.Bus;
import dev.livestate.cluster.Leases;
import dev.livestate.cluster.MemoryCluster;
import dev.livestate.engine.ManualClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** Several nodes in one JVM: time is a manual clock, so expiry is a step, not a wait. */
@Timeout(value = 2, unit = TimeUnit.SECONDS)
class MemoryClusterContractTest extends ClusterContract {
  private final ManualClock clock = new ManualClock();
  private final MemoryCluster cluster = new MemoryCluster(clock);

  @Override
  protected Bus newBus(String node) {
    return cluster.bus(node);
  }

  @Override
  protected Leases newLeases(String node) {
    return cluster.leases(node);
  }

  @Override
  protected void elapse(Duration time) {
    clock.advance(time);
  }
}
