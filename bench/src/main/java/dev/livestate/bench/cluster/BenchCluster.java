package dev.livestate.bench.cluster;

import dev.livestate.bench.ServerProcess;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Nodes of one cluster as child processes of the packaged jar, on a PostgreSQL database and a
 * Redis prefix of their own (created here, dropped on close), and the CPU each part used.
 *
 * <p>A database rather than a schema per run because a PostgreSQL backend names its database in
 * its process title: that is how the CPU of the backends serving this cluster is told apart
 * from the other clients of the shared PostgreSQL.
 */
final class BenchCluster implements AutoCloseable {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String REDIS = "redis://127.0.0.1:6379";
  private final String database;
  private final Vertx vertx;
  private final List<ServerProcess> nodes = new ArrayList<>();

  private BenchCluster(String database, Vertx vertx) {
    this.database = database;
    this.vertx = vertx;
  }

  /** Starts {@code count} nodes. */
  static BenchCluster start(Vertx vertx, int count, String lease) throws Exception {
    String database = "clusterbench_" + UUID.randomUUID().toString().replace("-", "")
        .substring(0, 12);
    admin("CREATE DATABASE " + database);
    BenchCluster cluster = new BenchCluster(database, vertx);
    try {
      String jar = ServerProcess.defaultJar();
      for (int i = 0; i < count; i++) {
        List<String> flags = new ArrayList<>(ServerProcess.unlimited(jar));
        flags.addAll(List.of("--store", PG + database, "--store-user", "postgres",
            "--cluster-redis", REDIS, "--cluster-prefix", cluster.prefix(),
            "--node-id", "node-" + i, "--cluster-lease", lease));
        cluster.nodes.add(ServerProcess.startJar(jar, flags.toArray(String[]::new)));
      }
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  private String prefix() {
    return "livestate-bench-" + database + ":";
  }

  int size() {
    return nodes.size();
  }

  int port(int node) {
    return nodes.get(node).port();
  }

  /**
   * Starts a JFR recording of {@code seconds} on one node, written to {@code file} when it ends:
   * started from outside, so that it covers the measured window and not the warm-up.
   */
  void record(int node, int seconds, String file) throws Exception {
    Process jcmd = new ProcessBuilder("jcmd", String.valueOf(nodes.get(node).pid()), "JFR.start",
        "settings=profile", "duration=" + seconds + "s", "filename=" + file).inheritIO().start();
    if (jcmd.waitFor() != 0) {
      throw new IllegalStateException("jcmd JFR.start failed");
    }
  }

  /** CPU seconds of each node so far. */
  double[] nodeCpu() throws Exception {
    double[] cpu = new double[nodes.size()];
    for (int i = 0; i < cpu.length; i++) {
      cpu[i] = nodes.get(i).cpuSeconds();
    }
    return cpu;
  }

  /** CPU seconds so far of each PostgreSQL backend connected to this cluster's database. */
  Map<Long, Double> storeCpu() throws Exception {
    Map<Long, Double> cpu = new HashMap<>();
    String title = " " + database + " ";
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")),
              StandardCharsets.UTF_8);
          if (cmdline.startsWith("postgres:") && cmdline.contains(title)) {
            long pid = Long.parseLong(name);
            cpu.put(pid, ServerProcess.cpuSeconds(pid));
          }
        } catch (Exception gone) {
          // the process ended while the list was read
        }
      }
    }
    return cpu;
  }

  /** CPU seconds the backends used between two readings of {@link #storeCpu()}. */
  static double storeCpuBetween(Map<Long, Double> before, Map<Long, Double> after) {
    double used = 0;
    for (Map.Entry<Long, Double> e : after.entrySet()) {
      used += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
    }
    return used;
  }

  /** CPU seconds of the Redis server on 6379 so far (shared with anything else using it). */
  static double redisCpu() throws Exception {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        try {
          String cmdline = Files.readString(p.resolve("cmdline"));
          if (cmdline.startsWith("redis-server") && cmdline.contains(":6379")) {
            return ServerProcess.cpuSeconds(Long.parseLong(p.getFileName().toString()));
          }
        } catch (Exception notAProcess) {
          // not a process directory, or it ended
        }
      }
    }
    return Double.NaN;
  }

  private static void admin(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(PG + "test", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Stops the nodes as an operator would (SIGTERM), then drops the database and Redis keys. */
  @Override
  public void close() throws Exception {
    for (ServerProcess n : nodes) {
      n.close();
    }
    admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    Redis redis = Redis.createClient(vertx, REDIS);
    try {
      redis.send(Request.cmd(Command.EVAL)
              .arg("for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end")
              .arg(0).arg(prefix() + "*"))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      redis.close();
    }
  }
}
