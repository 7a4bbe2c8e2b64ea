package dev.livestate.bench.cluster;

import dev.livestate.bench.ResultFile;
import dev.livestate.bench.ServerProcess;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Three nodes against one at the same offered load, side by side in one run: rooms with one
 * writer each, their subscribers spread over the nodes (see {@link FanOutLoad}), durable rooms on
 * PostgreSQL, Redis as the bus. Setups alternate within each round, and every step gets a fresh
 * cluster and database. Per step: deliveries/s, deliveries missing {@code drain} seconds after
 * the sends stopped (lost, or that far behind) or repeated, latency p50/p99 of
 * same-node and cross-node deliveries, the nodes' CPU per delivery summed over the nodes, the CPU
 * of the PostgreSQL backends serving them and of the (shared) Redis, the load average.
 *
 * <pre>./mvnw -q package -DskipTests && java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *   dev.livestate.bench.cluster.ClusterBench [rooms=30] [subscribers=9] [rates=300,1200,2400] \
 *   [seconds=15] [warmup=30] [drain=15] [rounds=2] [setups=1,3] [lease=5s] [history=0] \
 *   [profile=/tmp/node.jfr]</pre>
 *
 * {@code rates} are offered ops/s over all rooms (each delivered to {@code subscribers});
 * {@code history} ops are written to each room before its subscribers join;
 * {@code profile} records JFR on node 0 of the largest setup over its measured window. Needs
 * Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 (postgres, trust); results go to a
 * new bench/results/cluster-DATE-TIME.md.
 */
public final class ClusterBench {
  /** What a step passes with: nothing missing or repeated, p99 at most this, the rate kept. */
  private static final double PASS_P99_MS = 100;
  private static final double PASS_RATE = 0.95;

  private final Map<String, String> args = new HashMap<>();
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final HttpClient http = vertx.createHttpClient(new HttpClientOptions()
      .setMaxWebSockets(50_000).setMaxWebSocketFrameSize(1 << 20));
  private final StringBuilder report = new StringBuilder();
  private final List<Step> steps = new ArrayList<>();

  private ClusterBench(String[] argv) {
    for (String a : argv) {
      String[] kv = a.split("=", 2);
      args.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
  }

  private int integer(String name, int otherwise) {
    return Integer.parseInt(args.getOrDefault(name, String.valueOf(otherwise)));
  }

  private List<Integer> integers(String name, String otherwise) {
    return Arrays.stream(args.getOrDefault(name, otherwise).split(","))
        .map(String::trim).map(Integer::parseInt).toList();
  }

  public static void main(String[] argv) throws Exception {
    int status = 0;
    ClusterBench bench = new ClusterBench(argv);
    try {
      bench.run();
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    } finally {
      bench.vertx.close();
    }
    System.exit(status);
  }

  /** One cluster size at one offered rate: the figures of its measured window. */
  private record Step(int nodes, int round, int rate, long offeredDeliveries, double perSecond,
      long missing, long repeated, Histogram same, Histogram cross, double nodeCpuMicros,
      double[] nodeCores, double idleCores, double storeMicros, double redisCores,
      double benchCores, String load, String error) {

    Histogram all() {
      Histogram h = same.copy();
      h.add(cross);
      return h;
    }

    boolean passed() {
      return missing == 0 && repeated == 0 && error == null && perSecond >= PASS_RATE
          * offeredDeliveries && all().getValueAtPercentile(99) / 1000.0 <= PASS_P99_MS;
    }
  }

  private void run() throws Exception {
    int rooms = integer("rooms", 30);
    int subscribers = integer("subscribers", 9);
    List<Integer> rates = integers("rates", "300,1200,2400");
    List<Integer> setups = integers("setups", "1,3");
    int rounds = integer("rounds", 2);
    String header = String.format(Locale.ROOT, "# Three nodes vs one (issue 16)%n%n%d rooms × 1 "
        + "writer × %d subscribers (spread over the nodes), durable rooms on PostgreSQL, %s ops "
        + "of history per room, %s s warm-up, %s s measured per step, lease %s, %d round(s); "
        + "load average at start %s%n%n", rooms, subscribers, args.getOrDefault("history", "0"),
        args.getOrDefault("warmup", "30"), args.getOrDefault("seconds", "15"),
        args.getOrDefault("lease", "5s"), rounds, loadAverage());
    report.append("| nodes | round | offered ops/s | offered deliveries/s | delivered/s | missing "
        + "after the drain / repeated | same-node p50 / p99 ms | cross-node p50 / p99 ms | node "
        + "CPU µs/delivery (sum) | cores per node | idle cores, all nodes | PostgreSQL "
        + "µs/delivery | Redis cores | bench cores | load avg | passed |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    System.out.print(header + report);
    for (int rate : rates) {
      for (int round = 1; round <= rounds; round++) {
        for (int nodes : setups) {
          Step s = step(nodes, round, rate, rooms, subscribers,
              nodes == setups.stream().mapToInt(Integer::intValue).max().orElse(nodes));
          steps.add(s);
          String row = row(s);
          report.append(row);
          System.out.print(row);
        }
      }
    }
    report.append(summary(setups, rates, rounds));
    report.append("\nLoad average at the end: ").append(loadAverage()).append('\n');
    System.out.print(summary(setups, rates, rounds));
    Path out = ResultFile.write("cluster", header + report);
    System.err.println("written to " + out);
  }

  private Step step(int nodes, int round, int rate, int rooms, int subscribers, boolean largest)
      throws Exception {
    int warmup = integer("warmup", 30);
    int seconds = integer("seconds", 15);
    String profile = args.get("profile");
    try (BenchCluster cluster = BenchCluster.start(vertx, nodes, args.getOrDefault("lease", "5s"));
        FanOutLoad load = new FanOutLoad(vertx, http, cluster)) {
      load.connect(rooms, subscribers, integer("history", 0));
      load.start(rate);
      Thread.sleep(warmup * 1000L);
      load.sameNode.getIntervalHistogram();
      load.crossNode.getIntervalHistogram();
      String loadBefore = loadAverage();
      long d0 = load.delivered();
      double[] cpu0 = cluster.nodeCpu();
      Map<Long, Double> store0 = cluster.storeCpu();
      double redis0 = BenchCluster.redisCpu();
      double bench0 = ServerProcess.cpuSeconds(ProcessHandle.current().pid());
      long t0 = System.nanoTime();
      if (profile != null && largest) {
        cluster.record(0, seconds, profile);
      }
      Thread.sleep(seconds * 1000L);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      long n = load.delivered() - d0;
      double[] cpu1 = cluster.nodeCpu();
      double storeCpu = BenchCluster.storeCpuBetween(store0, cluster.storeCpu());
      double redisCpu = BenchCluster.redisCpu() - redis0;
      double benchCpu = ServerProcess.cpuSeconds(ProcessHandle.current().pid()) - bench0;
      Histogram same = load.sameNode.getIntervalHistogram();
      Histogram cross = load.crossNode.getIntervalHistogram();
      load.stop();
      long missing = load.drain(integer("drain", 15));
      double idleCores = idleCores(cluster);
      double nodeCpu = 0;
      double[] cores = new double[nodes];
      for (int i = 0; i < nodes; i++) {
        nodeCpu += cpu1[i] - cpu0[i];
        cores[i] = (cpu1[i] - cpu0[i]) / elapsed;
      }
      return new Step(nodes, round, rate, (long) rate * subscribers, n / elapsed, missing,
          load.repeated(), same, cross, perDelivery(nodeCpu, n), cores, idleCores,
          perDelivery(storeCpu, n),
          redisCpu / elapsed, benchCpu / elapsed, loadBefore + " → " + loadAverage(),
          load.firstError());
    }
  }

  /**
   * The cores the nodes use together with every client still joined and nothing sent: the
   * fixed cost (heartbeats, lease renewals, the followers' upkeep reads) that a delivery's share
   * shrinks with the rate.
   */
  private static double idleCores(BenchCluster cluster) throws Exception {
    Thread.sleep(2000);
    double before = Arrays.stream(cluster.nodeCpu()).sum();
    long t0 = System.nanoTime();
    Thread.sleep(5000);
    return (Arrays.stream(cluster.nodeCpu()).sum() - before) / ((System.nanoTime() - t0) / 1e9);
  }

  private static double perDelivery(double cpuSeconds, long deliveries) {
    return deliveries == 0 ? Double.NaN : cpuSeconds * 1e6 / deliveries;
  }

  private static String row(Step s) {
    String cores = Arrays.stream(s.nodeCores)
        .mapToObj(c -> String.format(Locale.ROOT, "%.2f", c)).collect(Collectors.joining(" + "));
    String passed = s.passed() ? "yes" : "no" + (s.error == null ? ""
        : " (" + s.error.substring(0, Math.min(120, s.error.length())) + ")");
    return String.format(Locale.ROOT, "| %d | %d | %,d | %,d | %,.0f | %d / %d | %s | %s | %.2f |"
        + " %s | %.2f | %.2f | %.2f | %.2f | %s | %s |%n", s.nodes, s.round, s.rate,
        s.offeredDeliveries, s.perSecond, s.missing, s.repeated, percentiles(s.same),
        percentiles(s.cross), s.nodeCpuMicros, cores, s.idleCores, s.storeMicros, s.redisCores,
        s.benchCores, s.load, passed);
  }

  private static String percentiles(Histogram h) {
    return h.getTotalCount() == 0 ? "–" : String.format(Locale.ROOT, "%.1f / %.1f",
        h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0);
  }

  /**
   * Per rate, the median over rounds of each setup's deliveries/s and CPU per delivery, and the
   * largest setup's against the smallest; then the highest rate each setup passed in every
   * round, and issue 19's cluster target read from them.
   */
  private String summary(List<Integer> setups, List<Integer> rates, int rounds) {
    int one = setups.stream().mapToInt(Integer::intValue).min().orElseThrow();
    int many = setups.stream().mapToInt(Integer::intValue).max().orElseThrow();
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%n| offered ops/s | median "
        + "delivered/s, %d node(s) | %d nodes | ratio | median node CPU µs/delivery, %d | %d | "
        + "ratio | PostgreSQL µs/delivery, %d | %d |%n|---|---|---|---|---|---|---|---|---|%n",
        one, many, one, many, one, many));
    Map<Integer, Integer> best = new HashMap<>();
    for (int rate : rates) {
      double d1 = median(rate, one, Step::perSecond);
      double dn = median(rate, many, Step::perSecond);
      double c1 = median(rate, one, Step::nodeCpuMicros);
      double cn = median(rate, many, Step::nodeCpuMicros);
      s.append(String.format(Locale.ROOT, "| %,d | %,.0f | %,.0f | %.2f× | %.2f | %.2f | %.2f× |"
          + " %.2f | %.2f |%n", rate, d1, dn, dn / d1, c1, cn, cn / c1,
          median(rate, one, Step::storeMicros), median(rate, many, Step::storeMicros)));
      for (int nodes : setups) {
        if (steps.stream().filter(x -> x.nodes == nodes && x.rate == rate)
            .allMatch(Step::passed)) {
          best.merge(nodes, rate, Math::max);
        }
      }
    }
    s.append(String.format(Locale.ROOT, "%nHighest offered rate passed in all %d round(s) "
        + "(nothing missing, p99 ≤ %.0f ms, ≥ %.0f %% of the offered deliveries/s): ", rounds,
        PASS_P99_MS, PASS_RATE * 100));
    for (int nodes : setups) {
      s.append(nodes).append(" node(s): ").append(best.containsKey(nodes)
          ? String.format(Locale.ROOT, "%,d ops/s; ", best.get(nodes)) : "none; ");
    }
    s.append('\n');
    return s.toString();
  }

  private double median(int rate, int nodes, java.util.function.ToDoubleFunction<Step> figure) {
    double[] values = steps.stream().filter(x -> x.nodes == nodes && x.rate == rate)
        .mapToDouble(figure).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }
}
