package dev.livestate.server.cluster;

import dev.livestate.cluster.BusPeers;
import dev.livestate.cluster.LeasedOwnership;
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
  private final BusPeers peers;
  private final long timer;
  /** Set once a heartbeat has been written: from then on other nodes see this one. */
  private volatile boolean joined;
  /** Why the last heartbeat failed; null when it was written. */
  private volatile String heartbeatFailure;
  /** The live nodes as the last look after a heartbeat found them (this one included). */
  private volatile int liveNodes;

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
    // a request handed to the owner waits for its commit: as long as a lease lets a slow owner be
    this.peers = new BusPeers(bus, new JsonRequestWire(), config.lease());
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
        heartbeatFailure = f.toString();
        LOG.warn("heartbeat failed: {}", f.toString());
        return;
      }
      heartbeatFailure = null;
      joined = true;
      bus.nodes((nodes, failure) -> {
        if (nodes != null) {
          liveNodes = nodes.size();
          // what clients of a node that died held in this node's rooms goes with it
          peers.alive(nodes);
        }
      });
    });
  }

  /**
   * Why this node should not be sent clients now, or null: before its first heartbeat is written
   * (other nodes do not know it yet), and while Redis is unreachable — it could neither claim a
   * room nor renew the leases it holds, so every room a client asked of it would fail.
   */
  public String unready() {
    if (!joined) {
      return "the node has not joined its cluster yet (no heartbeat written to Redis)";
    }
    String failure = heartbeatFailure;
    if (!bus.connected() || !leases.connected() || failure != null) {
      return "Redis is unreachable, so this node can claim no rooms"
          + (failure == null ? "" : ": " + failure);
    }
    return null;
  }

  /** The live nodes this node last saw, itself included; 0 before it has looked. */
  public int liveNodes() {
    return liveNodes;
  }

  public String node() {
    return bus.node();
  }

  /** Its rooms by lease: what the engine asks, and what counts the rooms taken and lost. */
  public LeasedOwnership ownership() {
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
