package dev.livestate.server.metrics;

import dev.livestate.access.Home;
import dev.livestate.engine.EngineListener;
import dev.livestate.engine.RoomEvent;
import dev.livestate.protocol.CloseReason;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The engine's listener that counts: every meter is registered up front, so an event only adds
 * to a counter or a histogram bucket (lock-free adders), never registers, allocates a meter or
 * waits — the listener's contract, as calls come from room lanes, store writers and event loops.
 * Rooms are counted by the surface they belong to ({@link Home}), read from their names; the
 * server's own records ({@link Home#SYSTEM}) are not counted as rooms.
 */
public final class EngineMetrics implements EngineListener, AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final AtomicLong rooms = new AtomicLong();
  private final Map<Home, AtomicLong> connections = new EnumMap<>(Home.class);
  private final Map<Home, Counter> committed = new EnumMap<>(Home.class);
  private final Map<Home, Counter> deliveries = new EnumMap<>(Home.class);
  private final Map<Rejection, Counter> rejections = new EnumMap<>(Rejection.class);
  private final Timer commit;
  private final Timer ack;
  private final Counter slowDisconnects;
  private final Counter storeErrors;
  private final RoomActivity activity = new RoomActivity();
  private volatile IntSupplier clusterNodes;
  private volatile LongSupplier roomsTaken;
  private volatile LongSupplier roomsLost;

  public EngineMetrics() {
    Gauge.builder("livestate.rooms", rooms, AtomicLong::get)
        .description("Rooms clients can use on this node").register(registry);
    for (Home home : Home.values()) {
      AtomicLong open = new AtomicLong();
      connections.put(home, open);
      Gauge.builder("livestate.connections", open, AtomicLong::get).tag("surface", home.label())
          .description("Open client connections").register(registry);
      committed.put(home, Counter.builder("livestate.ops.committed").tag("surface", home.label())
          .description("Ops committed to a store and relayed").register(registry));
      deliveries.put(home, Counter.builder("livestate.deliveries").tag("surface", home.label())
          .description("Events handed to subscribers' connections").register(registry));
    }
    for (Rejection r : Rejection.values()) {
      rejections.put(r, Counter.builder("livestate.rejections").tag("code", r.code())
          .description("Changes rejected, by reason").register(registry));
    }
    commit = Timer.builder("livestate.commit").publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .description("Time for the store to commit a write").register(registry);
    ack = Timer.builder("livestate.ack").publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .description("Time from a batch reaching its room to its answer").register(registry);
    slowDisconnects = Counter.builder("livestate.slow.consumer.disconnects")
        .description("Connections cut for not reading fast enough").register(registry);
    storeErrors = Counter.builder("livestate.store.errors")
        .description("Store writes that failed").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /**
   * Adds the meters of cluster mode. They read what the node keeps up to date as it beats and
   * claims — numbers in memory — so a scrape never asks Redis, and a room lane never waits.
   *
   * @param nodes the live nodes as this node sees them
   * @param taken rooms this node has taken so far
   * @param lost rooms this node has lost or given up so far
   */
  public void watchCluster(IntSupplier nodes, LongSupplier taken, LongSupplier lost) {
    // Micrometer holds a meter's source weakly: the suppliers are kept by this object's fields
    clusterNodes = nodes;
    roomsTaken = taken;
    roomsLost = lost;
    Gauge.builder("livestate.cluster.nodes", this, m -> m.clusterNodes.getAsInt())
        .description("Live nodes of the cluster as this node sees them").register(registry);
    FunctionCounter.builder("livestate.room.owner.changes", this, m -> m.roomsTaken.getAsLong())
        .tag("change", "taken").description("Rooms this node took or lost").register(registry);
    FunctionCounter.builder("livestate.room.owner.changes", this, m -> m.roomsLost.getAsLong())
        .tag("change", "lost").description("Rooms this node took or lost").register(registry);
  }

  /** Every meter in the Prometheus text format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  /** Open connections by surface label (a moment's view). */
  public Map<String, Long> connections() {
    Map<String, Long> open = new LinkedHashMap<>();
    connections.forEach((home, count) -> {
      if (home != Home.SYSTEM) {
        open.put(home.label(), count.get());
      }
    });
    return open;
  }

  /** Per-room counts the console samples. */
  public RoomActivity activity() {
    return activity;
  }

  @Override
  public void roomOpened(String room) {
    if (Home.of(room) != Home.SYSTEM) {
      rooms.incrementAndGet();
    }
  }

  @Override
  public void roomDeleted(String room) {
    if (Home.of(room) != Home.SYSTEM) {
      rooms.decrementAndGet();
    }
    activity.forget(room);
  }

  @Override
  public void submitEnd(String room, List<Outcome> outcomes, long nanos) {
    ack.record(nanos, TimeUnit.NANOSECONDS);
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Rejected r) {
        rejections.get(r.reason()).increment();
      }
    }
  }

  @Override
  public void commitEnd(String room, long nanos, Throwable failure) {
    commit.record(nanos, TimeUnit.NANOSECONDS);
    if (failure != null) {
      storeErrors.increment();
    }
  }

  // Ops are counted as they are relayed, once each: a resend answered from the ledger is
  // acked again but neither committed nor relayed again.
  @Override
  public void deliveryStart(String room, RoomEvent event) {
    if (event instanceof RoomEvent.Relayed r) {
      committed.get(Home.of(room)).increment(r.ops().size());
      activity.committed(room, r.ops().size());
    }
  }

  @Override
  public void deliveryEnd(String room, RoomEvent event, int subscribers, long nanos) {
    deliveries.get(Home.of(room)).increment(subscribers);
    activity.delivered(room, subscribers);
  }

  @Override
  public void connectionOpened(String surface) {
    connections.get(home(surface)).incrementAndGet();
  }

  @Override
  public void connectionClosed(String surface, String reason) {
    connections.get(home(surface)).decrementAndGet();
    if (CloseReason.TOO_SLOW.name().equals(reason)) {
      slowDisconnects.increment();
    }
  }

  private static Home home(String surface) {
    for (Home h : Home.values()) {
      if (h.label().equals(surface)) {
        return h;
      }
    }
    throw new IllegalArgumentException("no surface " + surface);
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
