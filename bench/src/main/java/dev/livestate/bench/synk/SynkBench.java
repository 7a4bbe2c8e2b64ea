package dev.livestate.bench.synk;

import dev.livestate.bench.ServerProcess;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Supersynk load: {@code clients} clients spread over {@code channels} channels, each posting its
 * data at {@code hz} on a fixed schedule through a bounded pool of keep-alive connections. Like a
 * real client, one has at most one request in flight: an update due while the previous request
 * is unanswered is skipped and counted (a late answer never shifts the schedule). Measures requests/s, latency from the intended send time and from
 * the actual send, failed requests, answers missing a peer, and the server's CPU.
 *
 * <pre>
 * java -cp bench/target/classes:$(cat bench/target/cp.txt) dev.livestate.bench.synk.SynkBench \
 *   [clients=1000] [channels=100] [hz=10] [pool=200] [warmup=5] [seconds=20] [form=seed|api]
 * </pre>
 */
public final class SynkBench {
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
    Args a = new Args(args);
    int clients = a.integer("clients", 1000);
    int channels = a.integer("channels", 100);
    int hz = a.integer("hz", 10);
    int pool = a.integer("pool", 200);
    int warmup = a.integer("warmup", 5);
    int seconds = a.integer("seconds", 20);
    boolean seed = !a.text("form", "seed").equals("api");
    String jar = a.text("jar", "server/target/livestate.jar");
    int peers = clients / channels - 1;

    // every simulated client posts from loopback: one address, far past the per-client limits
    List<String> flags = new ArrayList<>(ServerProcess.unlimited(jar));
    flags.addAll(List.of("--store", "memory", "--synk-timeout", "5s"));
    try (ServerProcess server = ServerProcess.startJar(jar, flags.toArray(String[]::new))) {
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
      HttpClient http = vertx.createHttpClient(new HttpClientOptions()
          .setDefaultHost("127.0.0.1").setDefaultPort(server.port())
          .setKeepAlive(true).setTcpNoDelay(true).setPipelining(false),
          new PoolOptions().setHttp1MaxSize(pool));
      Recorder fromIntended = new Recorder(3);
      Recorder fromSent = new Recorder(3);
      AtomicLong sent = new AtomicLong();
      AtomicLong ok = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      AtomicLong missingPeers = new AtomicLong();
      AtomicLong answered = new AtomicLong();
      AtomicLong missed = new AtomicLong();
      java.util.concurrent.atomic.AtomicReference<Throwable> firstFailure =
          new java.util.concurrent.atomic.AtomicReference<>();
      long progress = vertx.setPeriodic(5000, id -> System.err.println("answered " + answered.get()));
      prewarm(vertx, http, a.integer("prewarm", 5),
          w -> (seed ? "/synk/" : "/api/channels/") + "warm-" + (w % 4),
          w -> seed ? "{\"c\":\"warm-" + w + "\",\"d\":[]}" : "{\"client_id\":\"warm-" + w + "\"}");
      long periodNanos = 1_000_000_000L / hz;
      long start = System.nanoTime() + 200_000_000L;
      long measureFrom = start + warmup * 1_000_000_000L;
      long end = measureFrom + seconds * 1_000_000_000L;
      CountDownLatch done = new CountDownLatch(clients);

      for (int i = 0; i < clients; i++) {
        String client = "client-" + i;
        String path = (seed ? "/synk/" : "/api/channels/") + "channel-" + (i % channels);
        long offset = (long) (periodNanos * (i / (double) clients));
        long[] k = {0};
        boolean[] busy = {false};
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
          long intended = start + offset + k[0]++ * periodNanos;
          if (intended >= end) {
            done.countDown();
            return;
          }
          String body = seed
              ? "{\"c\":\"" + client + "\",\"d\":[{\"k\":\"pos\",\"v\":\"" + k[0] + " 1.5 -2.25\"},"
                  + "{\"k\":\"rot\",\"v\":\"0 0 0 1\"}]}"
              : "{\"client_id\":\"" + client + "\",\"pos\":[" + k[0] + ",1.5,-2.25],\"rot\":[0,0,0,1]}";
          boolean measured = intended >= measureFrom;
          long next = start + offset + k[0] * periodNanos;
          long delayMs = Math.max(1, (next - System.nanoTime()) / 1_000_000);
          vertx.setTimer(delayMs, id -> tick[0].run());
          if (busy[0]) {
            // Like a real client, at most one request in flight: this update is skipped.
            if (measured) {
              missed.incrementAndGet();
            }
            return;
          }
          busy[0] = true;
          long sentAt = System.nanoTime();
          if (measured) {
            sent.incrementAndGet();
          }
          http.request(HttpMethod.POST, path)
              .compose(req -> req.putHeader("Content-Type", "application/json")
                  .send(Buffer.buffer(body)).compose(resp -> resp.body().map(b -> {
                    if (resp.statusCode() != 200) {
                      throw new IllegalStateException("status " + resp.statusCode());
                    }
                    return b;
                  })))
              .onComplete(ar -> {
                long now = System.nanoTime();
                busy[0] = false;
                answered.incrementAndGet();
                if (ar.failed() && firstFailure.compareAndSet(null, ar.cause())) {
                  System.err.println("first failure: " + ar.cause());
                }
                if (!measured) {
                  return;
                }
                if (ar.failed()) {
                  failed.incrementAndGet();
                  return;
                }
                ok.incrementAndGet();
                fromIntended.recordValue(Math.max(0, now - intended) / 1000);
                fromSent.recordValue((now - sentAt) / 1000);
                if (count(ar.result().toString(), seed ? "{\"c\":" : "{\"client_id\":") != peers) {
                  missingPeers.incrementAndGet();
                }
              });
        };
        long firstDelay = Math.max(1, (start + offset - System.nanoTime()) / 1_000_000);
        // A context per client (round-robin over the event loops) so both loops generate load.
        vertx.getOrCreateContext().runOnContext(v -> vertx.setTimer(firstDelay, id -> tick[0].run()));
      }

      Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
      long cpu0 = server.cpuMillis();
      long self0 = ServerProcess.cpuMillisOf(ProcessHandle.current().pid());
      long t0 = System.nanoTime();
      done.await(seconds + warmup + 30, TimeUnit.SECONDS);
      Thread.sleep(2000); // let the last answers land
      long cpu1 = server.cpuMillis();
      long self1 = ServerProcess.cpuMillisOf(ProcessHandle.current().pid());
      double elapsed = (end - measureFrom) / 1e9;
      Histogram hi = fromIntended.getIntervalHistogram();
      Histogram hs = fromSent.getIntervalHistogram();
      System.out.printf("supersynk form=%s clients=%d channels=%d hz=%d pool=%d seconds=%d%n",
          seed ? "seed" : "api", clients, channels, hz, pool, seconds);
      System.out.printf("  updates due %d, skipped (previous still in flight) %d, sent %d, ok %d (%.0f req/s),"
          + " failed %d, unanswered %d, answers missing a peer %d%n",
          sent.get() + missed.get(), missed.get(), sent.get(), ok.get(), ok.get() / elapsed,
          failed.get(), sent.get() - ok.get() - failed.get(), missingPeers.get());
      System.out.printf("  latency from intended send (ms): p50 %.2f p99 %.2f p99.9 %.2f max %.2f%n",
          ms(hi, 50), ms(hi, 99), ms(hi, 99.9), hi.getMaxValue() / 1000.0);
      System.out.printf("  latency from actual send (ms):   p50 %.2f p99 %.2f p99.9 %.2f max %.2f%n",
          ms(hs, 50), ms(hs, 99), ms(hs, 99.9), hs.getMaxValue() / 1000.0);
      System.out.printf("  server CPU %.2f cores (%d ms over %.1f s, %.3f ms per answered request)%n",
          (cpu1 - cpu0) / 1000.0 / ((System.nanoTime() - t0) / 1e9), cpu1 - cpu0,
          (System.nanoTime() - t0) / 1e9, (cpu1 - cpu0) / (double) Math.max(1, ok.get() + failed.get()));
      System.out.printf("  load generator CPU %.2f cores; machine load average %s%n",
          (self1 - self0) / 1000.0 / ((System.nanoTime() - t0) / 1e9),
          Files.readString(Path.of("/proc/loadavg")).trim());
      vertx.cancelTimer(progress);
      http.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Closed-loop traffic (32 requests in flight) for {@code seconds} before the measured run, so
   * both JVMs are compiled and connected; its paths are not the measured ones.
   */
  public static void prewarm(Vertx vertx, HttpClient http, int seconds,
      java.util.function.IntFunction<String> pathOf, java.util.function.IntFunction<String> bodyOf)
      throws Exception {
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(32);
    AtomicLong n = new AtomicLong();
    for (int w = 0; w < 32; w++) {
      String path = pathOf.apply(w);
      String body = bodyOf.apply(w);
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (System.nanoTime() > until) {
          done.countDown();
          return;
        }
        http.request(HttpMethod.POST, path)
            .compose(req -> req.send(Buffer.buffer(body)).compose(resp -> resp.body()))
            .onComplete(ar -> {
              n.incrementAndGet();
              next[0].run();
            });
      };
      vertx.getOrCreateContext().runOnContext(v -> next[0].run());
    }
    done.await(seconds + 30, TimeUnit.SECONDS);
    System.err.println("prewarm: " + n.get() + " requests in " + seconds + " s");
  }

  public static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  static int count(String text, String token) {
    int n = 0;
    for (int i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + token.length())) {
      n++;
    }
    return n;
  }

  /** {@code key=value} arguments. */
  public static final class Args {
    private final java.util.Map<String, String> values = new java.util.HashMap<>();

    public Args(String[] args) {
      for (String a : args) {
        int eq = a.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("expected key=value, got " + a);
        }
        values.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }

    public int integer(String key, int def) {
      return values.containsKey(key) ? Integer.parseInt(values.get(key)) : def;
    }

    public String text(String key, String def) {
      return values.getOrDefault(key, def);
    }
  }
}
