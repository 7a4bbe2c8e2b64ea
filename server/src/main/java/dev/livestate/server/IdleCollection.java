package dev.livestate.server;

import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Hands back the heap a burst grew once the server has gone quiet. G1 shrinks its heap only at the
 * end of a concurrent cycle or of a full collection, and a quiet server starts neither: it
 * allocates too little to fill even the young generation. The JVM's own remedy, a periodic
 * collection after G1PeriodicGCInterval without any, is looked at once per interval, so it comes
 * one to two intervals after the burst; and a short interval also fires between the young
 * collections of a lightly loaded server, shrinking a heap still in use. So this watches the
 * allocation rate instead: when the server has allocated less than {@link #QUIET_BYTES_PER_SECOND}
 * for the quiet time and its heap has room to give back, the interval is set to a second for one
 * collection. G1 looks at an unset interval once a second, so the collection starts within one.
 */
final class IdleCollection {
  static final String INTERVAL = "G1PeriodicGCInterval";
  /**
   * Below this a server is quiet: with 5,000 idle UI-sync connections it allocated about a fifth
   * of it (8 MB in the 40 s between two collections), under 1,000 changes/s some 19 MB/s.
   */
  static final long QUIET_BYTES_PER_SECOND = 1L << 20;
  /** Less free heap than this is not worth a concurrent cycle. */
  private static final long WORTH_RETURNING = 16L << 20;
  /**
   * How long an ask stands without the heap shrinking. G1 starts the periodic collection only
   * after a second without any collection, so a young one in between puts it off, not answers it.
   */
  private static final long ANSWER_WITHIN_MILLIS = 10_000;

  private final HotSpotDiagnosticMXBean vm;
  private final ThreadMXBean threads;
  private final MemoryMXBean memory;
  private final List<GarbageCollectorMXBean> collectors;
  private final Set<String> heapPools;
  private final long quietMillis;
  private long lastTickMillis;
  private long lastAllocated;
  private long quietSinceMillis = -1;
  /** When a collection was asked for, -1 when none is. */
  private long askedAtMillis = -1;
  /** The heap committed when it was asked for: less is the answer. */
  private long committedWhenAsked;
  /**
   * The least heap committed since the last ask ran its course (0 before the first): G1 may
   * keep more free than it is told, and asking again is worth it only once the heap has grown.
   */
  private long committedFloor;

  private IdleCollection(HotSpotDiagnosticMXBean vm, ThreadMXBean threads, Duration quiet,
      long nowMillis) {
    this.vm = vm;
    this.threads = threads;
    this.memory = ManagementFactory.getMemoryMXBean();
    this.collectors = ManagementFactory.getPlatformMXBeans(GarbageCollectorMXBean.class);
    this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
        .collect(Collectors.toSet());
    this.quietMillis = quiet.toMillis();
    this.lastTickMillis = nowMillis;
    this.lastAllocated = threads.getTotalThreadAllocatedBytes();
  }

  /**
   * The watcher for a server that should collect after {@code quiet} without allocating; none
   * when quiet is zero, when the JVM is not G1 or cannot count allocation, or when
   * G1PeriodicGCInterval was set on the command line (then the operator's interval rules).
   */
  static Optional<IdleCollection> start(Duration quiet, long nowMillis) {
    if (quiet.isZero() || !HeapReturn.isDefault(INTERVAL)
        || ManagementFactory.getGarbageCollectorMXBeans().stream()
            .noneMatch(c -> c.getName().startsWith("G1"))) {
      return Optional.empty();
    }
    if (!(ManagementFactory.getThreadMXBean() instanceof ThreadMXBean threads)
        || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
      return Optional.empty();
    }
    return Optional.of(new IdleCollection(
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class), threads, quiet,
        nowMillis));
  }

  /** Called every few hundred milliseconds. */
  void tick(long nowMillis) {
    long allocated = threads.getTotalThreadAllocatedBytes();
    long elapsed = Math.max(1, nowMillis - lastTickMillis);
    // a thread that ended takes its count with it, so the total may fall: that is quiet too
    boolean quiet = (allocated - lastAllocated) * 1000 / elapsed < QUIET_BYTES_PER_SECOND;
    long quietFrom = lastTickMillis;
    lastAllocated = allocated;
    lastTickMillis = nowMillis;
    MemoryUsage heap = memory.getHeapMemoryUsage();
    if (committedFloor > 0) {
      committedFloor = Math.min(committedFloor, heap.getCommitted());
    }
    if (askedAtMillis >= 0) {
      boolean shrank = heap.getCommitted() < committedWhenAsked;
      boolean unanswered = nowMillis - askedAtMillis >= ANSWER_WITHIN_MILLIS;
      // a server busy again must not collect between its young collections: the ask stands down,
      // to be made again when it is quiet; one that ran its course waits for the heap to grow
      if (shrank || unanswered || !quiet) {
        vm.setVMOption(INTERVAL, "0");
        askedAtMillis = -1;
        if (shrank || unanswered) {
          committedFloor = heap.getCommitted();
        }
      }
    }
    if (!quiet) {
      quietSinceMillis = -1;
      return;
    }
    if (quietSinceMillis < 0) {
      quietSinceMillis = quietFrom;
    }
    if (askedAtMillis < 0 && nowMillis - quietSinceMillis >= quietMillis
        && heap.getCommitted() >= committedFloor + WORTH_RETURNING && hasRoomToReturn(heap)) {
      askedAtMillis = nowMillis;
      committedWhenAsked = heap.getCommitted();
      vm.setVMOption(INTERVAL, "1000");
    }
  }

  /**
   * Whether the heap holds at least {@link #WORTH_RETURNING} more than the last collection left,
   * and a tenth of it more than the free share a resizing collection keeps (MaxHeapFreeRatio):
   * a heap just shrunk to that share is not worth another cycle.
   */
  private boolean hasRoomToReturn(MemoryUsage heap) {
    long free = heap.getCommitted() - usedAfterLastCollection(heap.getUsed());
    int keptFreePercent = Integer.parseInt(vm.getVMOption("MaxHeapFreeRatio").getValue());
    return free >= WORTH_RETURNING && free * 100 > heap.getCommitted() * (keptFreePercent + 10);
  }

  /** What the most recent collection left in the heap; {@code otherwise} before the first. */
  private long usedAfterLastCollection(long otherwise) {
    GcInfo last = null;
    for (GarbageCollectorMXBean c : collectors) {
      GcInfo info = c.getLastGcInfo();
      if (info != null && (last == null || info.getEndTime() > last.getEndTime())) {
        last = info;
      }
    }
    return last == null ? otherwise
        : last.getMemoryUsageAfterGc().entrySet().stream()
            .filter(pool -> heapPools.contains(pool.getKey()))
            .mapToLong(pool -> pool.getValue().getUsed()).sum();
  }
}
