package dev.livestate.bench.nativews;

import dev.livestate.bench.ResultFile;
import dev.livestate.bench.ServerProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Native protocol load: fan-out to many subscribers of one room, many small rooms, and durable
 * acknowledged writes. The server runs as a child process; its CPU time comes from /proc. Its
 * few connections stand in for many clients, so the per-client abuse limits are lifted.
 *
 * <pre>./mvnw -q package -DskipTests && java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *   [-Dbuilds=old=/tmp/old.jar,new=server/target/livestate.jar] [-Drounds=2] \
 *   [-Dscenarios=fanout,rooms,durable] [-Dserver.jvm='-XX:StartFlightRecording=...'] \
 *   dev.livestate.bench.nativews.NativeBench [seconds]</pre>
 *
 * With {@code builds}, every scenario runs on each build in turn, {@code rounds} times, so builds
 * are compared side by side in one run; {@code scenarios} picks some of them (to profile one,
 * with {@code server.jvm}); the results go to a new bench/results/native-DATE-TIME.md.
 * A build's jar may be followed by flags of its own, so one jar runs in several ways side by side:
 * {@code -Dbuilds="1-loop=server/target/livestate.jar --event-loops 1,2-loops=server/target/livestate.jar --event-loops 2"}.
 */
public final class NativeBench {
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final HttpClient http = vertx.createHttpClient(new HttpClientOptions()
      .setMaxWebSockets(50_000).setMaxWebSocketFrameSize(1 << 20));
  private final int seconds;
  private final StringBuilder report = new StringBuilder();
  /** Build name → its jar, then flags of its own. */
  private final Map<String, String> builds = new LinkedHashMap<>();
  private final int rounds = Integer.getInteger("rounds", 1);
  /** The build the scenario running now starts. */
  private String build;
  /** Its jar, then flags of its own. */
  private String launch;

  private NativeBench(int seconds) {
    this.seconds = seconds;
    String spec = System.getProperty("builds", "");
    if (spec.isBlank()) {
      builds.put("livestate", ServerProcess.defaultJar());
    }
    for (String b : spec.split(",")) {
      if (!b.isBlank()) {
        String[] nameJar = b.split("=", 2);
        builds.put(nameJar[0].trim(), nameJar[1].trim());
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    NativeBench bench = new NativeBench(seconds);
    try {
      bench.run();
    } finally {
      bench.vertx.close();
    }
  }

  private void run() throws Exception {
    report.append("| scenario | build | offered deliveries/s | delivered/s | latency p50 ms | p99 ms | server CPU µs/delivery |\n");
    report.append("|---|---|---|---|---|---|---|\n");
    int fanout = Integer.getInteger("subscribers", 1000);
    List<String> scenarios = List.of(System.getProperty("scenarios", "fanout,rooms,durable").split(","));
    if (scenarios.contains("fanout")) {
      eachBuild(() -> fanout("1 writer → " + fanout + " subscribers, 1 room", 1, fanout,
          100_000 / fanout));
    }
    if (scenarios.contains("rooms")) {
      eachBuild(() -> fanout("1,000 rooms × 10 subscribers", 1000, 10, 10_000));
    }
    if (scenarios.contains("durable")) {
      report.append("\n| durable writes | build | acked ops/s | ack p50 ms | ack p99 ms | server CPU µs/op |\n|---|---|---|---|---|---|\n");
      eachBuild(() -> durable("SQLite, sync=full, 8 writers × 64 in flight", "full"));
      eachBuild(() -> durable("SQLite, sync=normal, 8 writers × 64 in flight", "normal"));
    }
    System.out.println(report);
    Path out = ResultFile.write("native", "# Native protocol benchmark (" + seconds + " s per scenario, "
        + rounds + " round(s), builds " + builds + ")\n\n" + report);
    System.err.println("written to " + out);
  }

  private interface Scenario {
    void run() throws Exception;
  }

  /** Runs the scenario on every build in turn, {@code rounds} times. */
  private void eachBuild(Scenario scenario) throws Exception {
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, String> b : builds.entrySet()) {
        launch = b.getValue();
        build = b.getKey();
        scenario.run();
      }
    }
  }

  private ServerProcess server(String... flags) throws Exception {
    List<String> jarAndFlags = List.of(launch.trim().split("\\s+"));
    String jar = jarAndFlags.get(0);
    List<String> all = new ArrayList<>(ServerProcess.unlimited(jar));
    all.addAll(jarAndFlags.subList(1, jarAndFlags.size()));
    all.addAll(List.of(flags));
    return ServerProcess.startJar(jar, all.toArray(String[]::new));
  }

  private WebSocket connect(int port) throws Exception {
    return await(http.webSocket(port, "127.0.0.1", "/ws"));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** {@code opsPerSecond} spread over {@code rooms}, each with {@code subscribers} readers. */
  private void fanout(String name, int rooms, int subscribers, int opsPerSecond) throws Exception {
    try (ServerProcess server = server("--store", "memory")) {
      WebSocket writer = connect(server.port());
      CountDownLatch created = new CountDownLatch(rooms);
      writer.textMessageHandler(t -> {
        if (t.startsWith("{\"type\":\"joined\"")) {
          created.countDown();
        }
      });
      writer.writeTextMessage("{\"type\":\"hello\",\"clientId\":\"bench-writer\"}");
      for (int r = 0; r < rooms; r++) {
        writer.writeTextMessage("{\"type\":\"join\",\"room\":\"bench-" + r + "\",\"create\":{\"durable\":false}}");
      }
      created.await(60, TimeUnit.SECONDS);
      AtomicLong delivered = new AtomicLong();
      Recorder latency = new Recorder(3);
      CountDownLatch joined = new CountDownLatch(rooms * subscribers);
      List<WebSocket> readers = new ArrayList<>();
      for (int r = 0; r < rooms; r++) {
        for (int s = 0; s < subscribers; s++) {
          WebSocket ws = connect(server.port());
          ws.textMessageHandler(t -> {
            int i = t.indexOf("\"t\":");
            if (i < 0) {
              joined.countDown();
              return;
            }
            long sent = Long.parseLong(t, i + 4, t.indexOf('}', i), 10);
            latency.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
            delivered.incrementAndGet();
          });
          ws.writeTextMessage("{\"type\":\"join\",\"room\":\"bench-" + r + "\",\"role\":\"reader\"}");
          readers.add(ws);
        }
      }
      joined.await(120, TimeUnit.SECONDS);
      long[] localSeq = {0};
      double[] owed = {0};
      long timer = vertx.setPeriodic(1, id -> {
        owed[0] += opsPerSecond / 1000.0;
        while (owed[0] >= 1) {
          owed[0] -= 1;
          long ls = ++localSeq[0];
          writer.writeTextMessage("{\"type\":\"submit\",\"room\":\"bench-" + (ls % rooms)
              + "\",\"changes\":[{\"localSeq\":" + ls + ",\"baseSeq\":0,\"set\":{\"v\":{\"t\":"
              + System.nanoTime() + "}}}]}");
        }
      });
      Thread.sleep(3000); // warm-up
      latency.getIntervalHistogram();
      long d0 = delivered.get();
      double cpu0 = server.cpuSeconds();
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      double cpu1 = server.cpuSeconds();
      long d1 = delivered.get();
      double elapsed = (System.nanoTime() - t0) / 1e9;
      vertx.cancelTimer(timer);
      var h = latency.getIntervalHistogram();
      long n = d1 - d0;
      row(name, (long) opsPerSecond * subscribers, n / elapsed, h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0, n == 0 ? 0 : (cpu1 - cpu0) * 1e6 / n);
      readers.forEach(WebSocket::close);
      writer.close();
    }
  }

  private void durable(String name, String sync) throws Exception {
    Path dir = Files.createTempDirectory("livestate-bench");
    try (ServerProcess server = server("--data-dir", dir.toString(), "--store-sync", sync)) {
      int writers = 8;
      int window = 64;
      Recorder latency = new Recorder(3);
      AtomicLong acked = new AtomicLong();
      List<WebSocket> sockets = new ArrayList<>();
      List<Runnable> starters = new ArrayList<>();
      CountDownLatch ready = new CountDownLatch(writers);
      for (int w = 0; w < writers; w++) {
        WebSocket ws = connect(server.port());
        String room = "durable-" + w;
        long[] next = {0};
        long[] sentAt = new long[1 << 20];
        Runnable send = () -> {
          long ls = ++next[0];
          sentAt[(int) (ls & (sentAt.length - 1))] = System.nanoTime();
          ws.writeTextMessage("{\"type\":\"submit\",\"id\":" + ls + ",\"room\":\"" + room
              + "\",\"changes\":[{\"localSeq\":" + ls + ",\"baseSeq\":0,\"set\":{\"k" + (ls % 100)
              + "\":" + ls + "}}]}");
        };
        ws.textMessageHandler(t -> {
          if (t.startsWith("{\"type\":\"joined\"")) {
            ready.countDown();
            return;
          }
          if (t.startsWith("{\"type\":\"result\"")) {
            int i = t.indexOf("\"id\":") + 5;
            long id = Long.parseLong(t, i, t.indexOf(',', i), 10);
            latency.recordValue((System.nanoTime() - sentAt[(int) (id & (sentAt.length - 1))]) / 1000);
            acked.incrementAndGet();
            send.run();
          }
        });
        ws.writeTextMessage("{\"type\":\"join\",\"room\":\"" + room + "\",\"create\":true}");
        sockets.add(ws);
        starters.add(() -> {
          for (int i = 0; i < window; i++) {
            send.run();
          }
        });
      }
      ready.await(30, TimeUnit.SECONDS);
      starters.forEach(start -> vertx.runOnContext(v -> start.run()));
      Thread.sleep(3000);
      latency.getIntervalHistogram();
      long a0 = acked.get();
      double cpu0 = server.cpuSeconds();
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      double cpu1 = server.cpuSeconds();
      long n = acked.get() - a0;
      double elapsed = (System.nanoTime() - t0) / 1e9;
      var h = latency.getIntervalHistogram();
      report.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %.1f |%n", name,
          build, n / elapsed,
          h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
          n == 0 ? 0 : (cpu1 - cpu0) * 1e6 / n));
      sockets.forEach(WebSocket::close);
    }
  }

  private void row(String name, long offered, double perSecond, double p50, double p99, double cpuMicros) {
    String line = String.format(Locale.ROOT, "| %s | %s | %,d | %,.0f | %.1f | %.1f | %.2f |%n",
        name, build, offered, perSecond, p50, p99, cpuMicros);
    report.append(line);
    System.out.print(line);
    System.out.flush();
  }
}
