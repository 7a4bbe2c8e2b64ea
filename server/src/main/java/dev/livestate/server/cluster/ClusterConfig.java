package dev.livestate.server.cluster;

import dev.livestate.server.config.ServerSettings;
import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import dev.livestate.server.store.StoreLocation;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * Cluster mode as configured (decision 015): on when {@code cluster.redis} names a Redis; this
 * node's name; how long a room's owner keeps it without renewing. Cluster mode needs a store that
 * every node shares, so it is refused with the SQLite or memory store.
 */
public record ClusterConfig(String redis, String prefix, String nodeId, Duration lease) {
  public static final Setting<String> REDIS = new Setting<>("cluster.redis", "",
      "Cluster mode: the Redis 7 that the nodes coordinate through, redis://HOST:PORT[/DB]."
          + " Needs a store every node shares (store: a jdbc:postgresql: or jdbc:mariadb: URL);"
          + " empty: a single node", ClusterConfig::checkRedis);
  public static final Setting<String> PREFIX = Setting.string("cluster.prefix", "livestate:",
      "What every Redis key and channel of the cluster starts with: clusters sharing one Redis"
          + " each need their own");
  public static final Setting<String> NODE_ID = new Setting<>("node-id", "",
      "This node's name in the cluster, unique among its nodes, without spaces (empty: the"
          + " host name and the port)", ClusterConfig::checkNode);
  public static final Setting<Duration> LEASE = Setting.duration("cluster.lease", "5s",
      "How long a node owns its rooms without renewing: when a node dies, another takes its"
          + " rooms after this");

  public ClusterConfig {
    if (!redis.isEmpty() && lease.toMillis() < 300) {
      throw new IllegalArgumentException("cluster.lease must be at least 300ms: " + lease);
    }
  }

  public static List<Setting<?>> settings() {
    return List.of(REDIS, PREFIX, NODE_ID, LEASE);
  }

  /** The cluster settings, checked against the store. */
  public static ClusterConfig from(Settings s) {
    ClusterConfig c = new ClusterConfig(s.get(REDIS), s.get(PREFIX), s.get(NODE_ID), s.get(LEASE));
    if (c.enabled() && !(s.get(ServerSettings.STORE) instanceof StoreLocation.Database)) {
      throw new IllegalArgumentException("cluster mode (" + REDIS.flag() + ") needs a store"
          + " that every node shares: give " + ServerSettings.STORE.flag()
          + " jdbc:postgresql://HOST/DB or jdbc:mariadb://HOST/DB (with "
          + ServerSettings.STORE_USER.flag() + " and " + ServerSettings.STORE_PASSWORD.flag()
          + "), not " + s.get(ServerSettings.STORE).getClass().getSimpleName().toLowerCase()
          + ", which only this node could see");
    }
    return c;
  }

  /**
   * This node's name: {@code node-id}, else the host name and the port it is set to listen on
   * (with port 0, which picks a free one, a random number in its place).
   */
  public String node(int port) {
    if (!nodeId.isEmpty()) {
      return nodeId;
    }
    return hostName() + ":" + (port != 0 ? port
        : "x" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt()));
  }

  public boolean enabled() {
    return !redis.isEmpty();
  }

  private static String checkRedis(String text) {
    if (text.isEmpty()) {
      return text;
    }
    URI uri = URI.create(text);
    if (!"redis".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0
        || !uri.getPath().matches("(/\\d+)?")) {
      throw new IllegalArgumentException("expected redis://HOST:PORT or redis://HOST:PORT/DB");
    }
    return text;
  }

  private static String checkNode(String text) {
    if (text.contains(" ") || text.contains("\n")) {
      throw new IllegalArgumentException("a node name has no spaces or newlines");
    }
    return text;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
