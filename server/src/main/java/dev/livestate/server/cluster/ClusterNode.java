package dev.livestate.server.cluster;

import dev.livestate.cluster.BusPeers;
import dev.livestate.cluster.LeasedOwnership;
import dev.livestate.engine.Ownership;
import dev.livestate.engine.Peers;
import dev.livestate.engine.Reply;
import dev.livestate.store.Store;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as a node of a cluster (decision 015): its name, its heartbeat on the {@link
 * RedisBus}, and the leases of the rooms it owns, renewed every third of a lease. Made only in
 * cluster mode; a single node has none.
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
  private final Vertx vertx;
  private final ClusterConfig config;
  private final Redis client;
  private final RedisBus bus;
  private final RedisLeases leases;
  private final LeasedOwnership ownership;
  private final Peers peers;
  private final long timer;

  /**
   * Joins the cluster as {@code node}, owning rooms of {@code shared} (the store every node
   * shares) by lease.
   */
  public ClusterNode(Vertx vertx, ClusterConfig config, String node, Store shared) {
    this.vertx = vertx;
    this.config = config;
    // each bus and leases object keeps its connections for its life: no pool to wait on
    this.client = Redis.createClient(vertx,
        new RedisOptions().setConnectionString(config.redis()).setMaxPoolSize(8));
    this.bus = new RedisBus(vertx, client, config.prefix(), node);
    this.leases = new RedisLeases(vertx, client, config.prefix(), node);
    this.ownership = new LeasedOwnership(leases, shared, config.lease(), Clock.systemUTC());
    this.peers = new BusPeers(bus);
    long every = Math.max(100, config.lease().toMillis() / 3);
    beat();
    this.timer = vertx.setPeriodic(every, id -> {
      beat();
      ownership.renew();
    });
    LOG.info("cluster mode: node {}, rooms owned by lease of {}", node, config.lease());
  }

  private void beat() {
    bus.heartbeat(config.lease(), (v, f) -> {
      if (f != null) {
        LOG.warn("heartbeat failed: {}", f.toString());
      }
    });
  }

  public String node() {
    return bus.node();
  }

  public Ownership ownership() {
    return ownership;
  }

  /** The other nodes, as rooms tell them of commits and follow rooms owned elsewhere. */
  public Peers peers() {
    return peers;
  }

  /** The rooms this node owns now. */
  public List<String> rooms() {
    return ownership.rooms();
  }

  /** The nodes alive now. */
  public void nodes(Reply<List<String>> nodes) {
    bus.nodes(nodes);
  }

  /** The rooms each node owns now, by node. */
  public void owners(Reply<Map<String, List<String>>> rooms) {
    leases.held(rooms);
  }

  /** Leaves the cluster: gives up its rooms at once, so other nodes take them, and its name. */
  @Override
  public void close() {
    vertx.cancelTimer(timer);
    CompletableFuture<Void> left = new CompletableFuture<>();
    ownership.releaseAll((v, f) -> bus.leave((v2, f2) -> left.complete(null)));
    try {
      left.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("leaving the cluster: {}", e.toString());
    }
    bus.close();
    leases.close();
    client.close();
  }
}
