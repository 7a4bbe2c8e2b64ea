package dev.livestate.store.jdbc;

import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The child process of {@link CrashTest}: appends to a SQLite store (fullSync off, the weaker
 * mode) as fast as it can until it is killed, printing {@code room first last} for each acked
 * append, from the commit callback. Arguments: the store file, the number of rooms.
 */
public final class CrashWriter {
  /** Ops a room keeps for recovery: more than a run writes, so a gap would show. */
  static final RoomConfig CONFIG = RoomConfig.DEFAULT.withRetention(1_000_000, Duration.ZERO);

  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    Store store = JdbcStore.sqlite(Path.of(args[0]), false);
    int rooms = Integer.parseInt(args[1]);
    for (int r = 0; r < rooms; r++) {
      CompletableFuture<Throwable> created = new CompletableFuture<>();
      store.create("room-" + r, CONFIG, "epoch", created::complete);
      if (created.get() != null) {
        throw new IllegalStateException(created.get());
      }
    }
    System.out.println("ready");
    Semaphore inFlight = new Semaphore(4_000);
    long[] heads = new long[rooms];
    for (long n = 0; ; n++) {
      int r = (int) (n % rooms);
      String room = "room-" + r;
      List<Op> ops = new ArrayList<>();
      for (int i = 0; i <= n % 3; i++) {
        long seq = ++heads[r];
        ops.add(new Op(seq, "writer", seq, 0, seq,
            Change.Put.of("key-" + seq % 7, new Json("{\"seq\":" + seq + "}"))));
      }
      inFlight.acquire(ops.size());
      long first = ops.get(0).seq();
      long last = ops.get(ops.size() - 1).seq();
      store.append(room, ops, failure -> {
        System.out.println(failure == null ? room + " " + first + " " + last : "failed " + failure);
        inFlight.release(ops.size());
      });
    }
  }
}
