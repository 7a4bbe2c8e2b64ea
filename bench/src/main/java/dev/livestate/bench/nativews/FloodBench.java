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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A client flooding a room with changes beside a calm one writing 100 changes a second: the calm
 * writer's ack latency alone, then during the flood, with the server's default rate limit and
 * with the limit off, side by side in one run (durable SQLite rooms, 10 readers).
 *
 * <pre>./mvnw -q package -DskipTests && java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *   dev.livestate.bench.nativews.FloodBench [seconds]</pre>
 */
public final class FloodBench {
  private static final String ROOM = "shared";
  private static final int READERS = 10;
  private static final int CALM_PER_SECOND = 100;
  /** Submits the flooder keeps in flight, each of this many changes. */
  private static final int FLOOD_WINDOW = 64;
  private static final int FLOOD_BATCH = 20;

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final HttpClient http = vertx.createHttpClient(new HttpClientOptions()
      .setMaxWebSockets(1000).setMaxWebSocketFrameSize(1 << 20));
  private final int seconds;
  private final StringBuilder report = new StringBuilder();

  private FloodBench(int seconds) {
    this.seconds = seconds;
  }

  public static void main(String[] args) throws Exception {
    FloodBench bench = new FloodBench(args.length > 0 ? Integer.parseInt(args[0]) : 10);
    try {
      bench.run();
    } finally {
      bench.vertx.close();
    }
  }

  private void run() throws Exception {
    report.append("| server | phase | calm acks/s | calm ack p50 ms | p99 ms | max ms | flooder"
        + " changes acked/s | flooder submits refused/s | server CPU % |\n");
    report.append("|---|---|---|---|---|---|---|---|---|\n");
    for (int round = 0; round < Integer.getInteger("rounds", 2); round++) {
      scenario("default limit (1,000 changes/s)");
      scenario("limit off", "--limits-changes-per-second", "0");
    }
    System.out.println(report);
    Path out = ResultFile.write("flood", "# A flooding client beside a calm one (" + seconds
        + " s per phase)\n\n" + report);
    System.err.println("written to " + out);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private WebSocket join(int port, String hello, String join) throws Exception {
    WebSocket ws = await(http.webSocket(port, "127.0.0.1", "/ws"));
    CountDownLatch joined = new CountDownLatch(1);
    ws.textMessageHandler(t -> {
      if (t.startsWith("{\"type\":\"joined\"")) {
        joined.countDown();
      }
    });
    ws.writeTextMessage(hello);
    ws.writeTextMessage(join);
    if (!joined.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no joined for " + join);
    }
    return ws;
  }

  private void scenario(String name, String... flags) throws Exception {
    try (ServerProcess server = ServerProcess.start(flags)) {
      int port = server.port();
      WebSocket calm = join(port, "{\"type\":\"hello\",\"clientId\":\"calm\"}",
          "{\"type\":\"join\",\"room\":\"" + ROOM + "\",\"create\":true}");
      List<WebSocket> readers = new ArrayList<>();
      for (int i = 0; i < READERS; i++) {
        readers.add(join(port, "{\"type\":\"ping\"}",
            "{\"type\":\"join\",\"room\":\"" + ROOM + "\",\"role\":\"reader\"}"));
      }
      Recorder latency = new Recorder(3);
      AtomicLong calmAcks = new AtomicLong();
      long[] sentAt = new long[1 << 16];
      calm.textMessageHandler(t -> {
        if (t.startsWith("{\"type\":\"result\"")) {
          int i = t.indexOf("\"id\":") + 5;
          int id = Integer.parseInt(t, i, t.indexOf(',', i), 10);
          latency.recordValue((System.nanoTime() - sentAt[id & 0xffff]) / 1000);
          calmAcks.incrementAndGet();
        }
      });
      int[] calmSeq = {0};
      long calmTimer = vertx.setPeriodic(1000 / CALM_PER_SECOND, t -> {
        int ls = ++calmSeq[0];
        sentAt[ls & 0xffff] = System.nanoTime();
        calm.writeTextMessage("{\"type\":\"submit\",\"id\":" + ls + ",\"room\":\"" + ROOM
            + "\",\"changes\":[{\"localSeq\":" + ls + ",\"baseSeq\":0,\"set\":{\"calm\":" + ls
            + "}}]}");
      });
      Thread.sleep(3000); // warm-up
      phase(name, "calm writer alone", server, latency, calmAcks, null, null);

      WebSocket flood = join(port, "{\"type\":\"hello\",\"clientId\":\"flood\"}",
          "{\"type\":\"join\",\"room\":\"" + ROOM + "\"}");
      AtomicLong floodAcked = new AtomicLong();
      AtomicLong floodRefused = new AtomicLong();
      long[] floodSeq = {0};
      Runnable floodSubmit = () -> {
        StringBuilder changes = new StringBuilder();
        for (int c = 0; c < FLOOD_BATCH; c++) {
          long ls = ++floodSeq[0];
          changes.append(c == 0 ? "" : ",").append("{\"localSeq\":").append(ls)
              .append(",\"baseSeq\":0,\"set\":{\"flood").append(ls % 50).append("\":")
              .append(ls).append("}}");
        }
        flood.writeTextMessage("{\"type\":\"submit\",\"room\":\"" + ROOM + "\",\"changes\":["
            + changes + "]}");
      };
      flood.textMessageHandler(t -> {
        if (t.startsWith("{\"type\":\"result\"")) {
          floodAcked.addAndGet(FLOOD_BATCH);
          floodSubmit.run();
        } else if (t.contains("\"rate_limited\"")) {
          floodRefused.incrementAndGet();
          floodSubmit.run();
        }
      });
      vertx.runOnContext(v -> {
        for (int i = 0; i < FLOOD_WINDOW; i++) {
          floodSubmit.run();
        }
      });
      Thread.sleep(2000);
      phase(name, "during the flood", server, latency, calmAcks, floodAcked, floodRefused);
      vertx.cancelTimer(calmTimer);
      flood.close();
      calm.close();
      readers.forEach(WebSocket::close);
    }
  }

  private void phase(String name, String phase, ServerProcess server, Recorder latency,
      AtomicLong calmAcks, AtomicLong floodAcked, AtomicLong floodRefused) throws Exception {
    latency.getIntervalHistogram();
    long c0 = calmAcks.get();
    long a0 = floodAcked == null ? 0 : floodAcked.get();
    long r0 = floodRefused == null ? 0 : floodRefused.get();
    double cpu0 = server.cpuSeconds();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    double cpu = (server.cpuSeconds() - cpu0) / elapsed * 100;
    Histogram h = latency.getIntervalHistogram();
    String line = String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %.1f | %s | %s | %.0f |%n",
        name, phase, (calmAcks.get() - c0) / elapsed, h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
        floodAcked == null ? "–" : String.format(Locale.ROOT, "%,.0f", (floodAcked.get() - a0) / elapsed),
        floodRefused == null ? "–" : String.format(Locale.ROOT, "%,.0f", (floodRefused.get() - r0) / elapsed),
        cpu);
    report.append(line);
    System.out.print(line);
    System.out.flush();
  }
}
