package dev.livestate.store.jdbc;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Acked ops per second and ack latency of the SQLite store, with and without fullSync. Under
 * load: producer threads (each owning some rooms, as a room's lane would) append one small op
 * at a time, with at most {@link #WINDOW} ops awaiting their ack, for {@link #OPS} ops or
 * {@link #LIMIT_S} seconds; latency there is mostly queueing (window / throughput). Alone: one
 * op in flight at a time, which is the bare cost of a commit. A benchmark, not a test: run its
 * main with the test classpath.
 */
public final class StoreThroughput {
  static final int PRODUCERS = 4;
  static final int ROOMS = 100;
  static final int OPS = 200_000;
  static final int WINDOW = 2_000;
  static final long LIMIT_S = 20;

  private StoreThroughput() {}

  record Result(String mode, int ops, double seconds, long p50Micros, long p99Micros) {}

  /** How hard to push: producer threads, ops awaiting their ack at most, ops in all. */
  record Load(String name, int producers, int window, int ops) {}

  static final Load BUSY = new Load("busy", PRODUCERS, WINDOW, OPS);
  static final Load ALONE = new Load("1 in flight", 1, 1, 2_000);

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("livestate-throughput");
    run(dir, false, BUSY); // warm-up: JIT and the SQLite native library
    List<Result> results = List.of(run(dir, false, BUSY), run(dir, true, BUSY),
        run(dir, false, ALONE), run(dir, true, ALONE));
    System.out.printf(Locale.ROOT, "busy: %d producers, %d rooms, 1 op per append, window %d ops,"
        + " up to %d ops or %d s; %d cores, load average %.1f%n",
        PRODUCERS, ROOMS, WINDOW, OPS, LIMIT_S, Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf(Locale.ROOT, "%-36s %9s %8s %10s %9s %9s%n",
        "mode", "acked ops", "seconds", "ops/s", "p50 ms", "p99 ms");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "%-36s %9d %8.2f %10.0f %9.2f %9.2f%n", r.mode(), r.ops(),
          r.seconds(), r.ops() / r.seconds(), r.p50Micros() / 1e3, r.p99Micros() / 1e3);
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  static Result run(Path dir, boolean fullSync, Load load) throws Exception {
    int producers = load.producers();
    int inFlight = load.window();
    int total = load.ops();
    Path file = Files.createTempFile(dir, "store", ".db");
    Store store = JdbcStore.sqlite(file, fullSync);
    for (int r = 0; r < ROOMS; r++) {
      CompletableFuture<Throwable> created = new CompletableFuture<>();
      store.create("room-" + r, RoomConfig.DEFAULT, "epoch", created::complete);
      created.get();
    }
    long[] latency = new long[total];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger acked = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Semaphore window = new Semaphore(inFlight);
    CountDownLatch producersDone = new CountDownLatch(producers);
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(LIMIT_S);
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread t = new Thread(() -> {
        long[] heads = new long[ROOMS];
        try {
          for (int n = producer; ; n += producers) {
            int id = next.getAndIncrement();
            if (id >= total || System.nanoTime() > deadline) {
              break;
            }
            int room = n % ROOMS; // n ≡ producer (mod producers): each room has one producer
            long seq = ++heads[room];
            Op op = new Op(seq, "writer-" + producer, seq, 0, System.currentTimeMillis(),
                Change.Put.of("key-" + (seq % 16), new Json("{\"v\":" + seq + "}")));
            window.acquireUninterruptibly();
            long sent = System.nanoTime();
            store.append("room-" + room, List.of(op), failure -> {
              latency[id] = System.nanoTime() - sent;
              if (failure != null) {
                failed.incrementAndGet();
              }
              acked.incrementAndGet();
              window.release();
            });
          }
        } finally {
          producersDone.countDown();
        }
      });
      t.start();
    }
    producersDone.await();
    window.acquireUninterruptibly(inFlight); // every op sent has been acked
    double seconds = (System.nanoTime() - start) / 1e9;
    store.close();
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " appends failed");
    }
    int n = acked.get();
    long[] sorted = Arrays.copyOf(latency, n);
    Arrays.sort(sorted);
    return new Result("sqlite fullSync=" + fullSync + ", " + load.name(), n, seconds,
        sorted[n / 2] / 1_000, sorted[(int) (n * 0.99)] / 1_000);
  }
}
