package dev.livestate.bench.userstatus;

import static dev.livestate.bench.synk.SynkBench.ms;

import dev.livestate.bench.ServerProcess;
import dev.livestate.bench.synk.SynkBench;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Status-message load: {@code rate} POST /logs/newlog per second (open loop, spread over
 * {@code sites}) through a bounded connection pool, while {@code subscribers} WebSockets (spread
 * evenly over the sites) receive every message of their site. Measures acknowledged (stored)
 * posts per second and their latency, push latency from the intended post time, lost pushes,
 * and the server's CPU.
 *
 * <pre>
 * java -cp bench/target/classes:$(cat bench/target/cp.txt) dev.livestate.bench.userstatus.StatusBench \
 *   [rate=5000] [sites=20] [subscribers=100] [pool=100] [warmup=5] [seconds=20] [store=sqlite]
 * </pre>
 */
public final class StatusBench {
  public static void main(String[] args) {
    int status = 0;
    try {
      run(args);
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status); // the client's event loops are not daemons
  }

  static void run(String[] args) throws Exception {
    SynkBench.Args a = new SynkBench.Args(args);
    int rate = a.integer("rate", 5000);
    int sites = a.integer("sites", 20);
    int subscribers = a.integer("subscribers", 100);
    int pool = a.integer("pool", 100);
    int warmup = a.integer("warmup", 5);
    int seconds = a.integer("seconds", 20);
    String store = a.text("store", "sqlite");
    String jar = a.text("jar", "server/target/livestate.jar");

    // every poster and subscriber is on loopback: one address, far past the per-client limits
    List<String> flags = new ArrayList<>(ServerProcess.unlimited(jar));
    flags.addAll(List.of("--store", store));
    try (ServerProcess server = ServerProcess.startJar(jar, flags.toArray(String[]::new))) {
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
      HttpClient http = vertx.createHttpClient(new HttpClientOptions()
          .setDefaultHost("127.0.0.1").setDefaultPort(server.port())
          .setKeepAlive(true).setTcpNoDelay(true),
          new PoolOptions().setHttp1MaxSize(pool));
      WebSocketClient wsClient = vertx.createWebSocketClient(
          new WebSocketClientOptions().setMaxConnections(subscribers + 10));
      Recorder push = new Recorder(3);
      Recorder ack = new Recorder(3);
      AtomicLong pushes = new AtomicLong();
      AtomicLong sent = new AtomicLong();
      AtomicLong ok = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      long[] measureFrom = {Long.MAX_VALUE};
      long[] end = {Long.MAX_VALUE};

      List<Future<WebSocket>> sockets = new ArrayList<>();
      for (int i = 0; i < subscribers; i++) {
        String site = "site-" + (i % sites);
        sockets.add(wsClient.connect(server.port(), "127.0.0.1", "/logs/ws?site=" + site)
            .onSuccess(ws -> ws.textMessageHandler(text -> {
              long now = System.nanoTime();
              int at = text.indexOf("\"message\":\"b:");
              if (at < 0) {
                return; // a prewarm message
              }
              long intended = Long.parseLong(text.substring(at + 13, text.indexOf('"', at + 13)));
              if (intended >= measureFrom[0] && intended < end[0]) {
                pushes.incrementAndGet();
                push.recordValue(Math.max(0, now - intended) / 1000);
              }
            })));
      }
      Future.all(sockets).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      Thread.sleep(1000); // every socket has joined its site
      // Warm the whole path, fan-out included; these pushes are not measured.
      SynkBench.prewarm(vertx, http, a.integer("prewarm", 5), w -> "/logs/newlog",
          w -> "{\"site\":\"site-" + (w % sites) + "\",\"log_message\":\"warm-up\"}");

      long start = System.nanoTime() + 100_000_000L;
      measureFrom[0] = start + warmup * 1_000_000_000L;
      end[0] = measureFrom[0] + seconds * 1_000_000_000L;
      long[] issued = {0};
      long timer = vertx.setPeriodic(1, id -> {
        long now = System.nanoTime();
        long due = Math.min((now - start) * rate / 1_000_000_000L, (end[0] - start) * rate / 1_000_000_000L);
        while (issued[0] < due) {
          long n = issued[0]++;
          long intended = start + n * 1_000_000_000L / rate;
          boolean measured = intended >= measureFrom[0];
          if (measured) {
            sent.incrementAndGet();
          }
          String body = "{\"site\":\"site-" + (n % sites) + "\",\"log_message\":\"b:" + intended
              + "\",\"log_level\":\"info\"}";
          http.request(HttpMethod.POST, "/logs/newlog")
              .compose(req -> req.putHeader("Content-Type", "application/json")
                  .send(Buffer.buffer(body)).compose(resp -> resp.body().map(b -> {
                    if (resp.statusCode() != 200) {
                      throw new IllegalStateException("status " + resp.statusCode());
                    }
                    return b;
                  })))
              .onComplete(ar -> {
                if (!measured) {
                  return;
                }
                if (ar.failed()) {
                  failed.incrementAndGet();
                } else {
                  ok.incrementAndGet();
                  ack.recordValue(Math.max(0, System.nanoTime() - intended) / 1000);
                }
              });
        }
      });

      Thread.sleep(Math.max(0, (measureFrom[0] - System.nanoTime()) / 1_000_000));
      long cpu0 = server.cpuMillis();
      long self0 = ServerProcess.cpuMillisOf(ProcessHandle.current().pid());
      long t0 = System.nanoTime();
      Thread.sleep(Math.max(0, (end[0] - System.nanoTime()) / 1_000_000) + 3000);
      vertx.cancelTimer(timer);
      long cpu1 = server.cpuMillis();
      long self1 = ServerProcess.cpuMillisOf(ProcessHandle.current().pid());
      double wall = (System.nanoTime() - t0) / 1e9;
      Histogram hp = push.getIntervalHistogram();
      Histogram ha = ack.getIntervalHistogram();
      long expectedPushes = ok.get() * (subscribers / sites);
      System.out.printf("userstatus rate=%d/s sites=%d subscribers=%d pool=%d seconds=%d store=%s%n",
          rate, sites, subscribers, pool, seconds, store);
      System.out.printf("  posts sent %d, acknowledged %d (%.0f ops/s), failed %d%n",
          sent.get(), ok.get(), ok.get() / (double) seconds, failed.get());
      System.out.printf("  post ack latency from intended send (ms): p50 %.2f p99 %.2f max %.2f%n",
          ms(ha, 50), ms(ha, 99), ha.getMaxValue() / 1000.0);
      System.out.printf("  pushes %d of %d expected (%.0f/s); push latency from intended send (ms): "
          + "p50 %.2f p99 %.2f p99.9 %.2f max %.2f%n", pushes.get(), expectedPushes,
          pushes.get() / (double) seconds, ms(hp, 50), ms(hp, 99), ms(hp, 99.9), hp.getMaxValue() / 1000.0);
      System.out.printf("  server CPU %.2f cores (%d ms over %.1f s, %.3f ms per acknowledged post)%n",
          (cpu1 - cpu0) / 1000.0 / wall, cpu1 - cpu0, wall, (cpu1 - cpu0) / (double) Math.max(1, ok.get()));
      System.out.printf("  load generator CPU %.2f cores; machine load average %s%n",
          (self1 - self0) / 1000.0 / ((System.nanoTime() - t0) / 1e9),
          Files.readString(Path.of("/proc/loadavg")).trim());
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
