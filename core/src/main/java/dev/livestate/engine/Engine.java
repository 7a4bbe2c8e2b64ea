package dev.livestate.engine;

import dev.livestate.room.Room;
import dev.livestate.room.RoomConfig;
import dev.livestate.store.Store;
import dev.livestate.store.StoredRoom;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every room of a server, each on its lane, kept in its store. Thread-safe. Protocol adapters
 * talk to rooms through {@link #open} and {@link #room}; nothing here does network I/O.
 */
public final class Engine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Engine.class.getName());

  private final Clock clock;
  private final Lanes lanes;
  private final Stores stores;
  private final Supplier<String> epochs;
  private final EngineListener listener;
  private final long maxRetainBytes;
  private final Ownership ownership;
  private final Peers peers;
  private final ConcurrentHashMap<String, LiveRoom> rooms = new ConcurrentHashMap<>();
  /**
   * How long after a store is seen failing it is probed, and how often while it fails: not at
   * once, since the failure was just seen, and no more often than a database could care about.
   */
  static final long PROBE_INTERVAL_MILLIS = 1_000;

  /** Stores with a probe under way: one at a time each, however slow the store answers. */
  private final Set<Store> probing = ConcurrentHashMap.newKeySet();
  /** When each failing store is probed next, by the engine's clock. */
  private final Map<Store, Long> probeAt = new ConcurrentHashMap<>();

  public Engine(Clock clock, Lanes lanes, Stores stores, Supplier<String> epochs) {
    this(clock, lanes, stores, epochs, EngineListener.NONE);
  }

  /** @param listener told of the engine's work (metrics, the console); see its contract */
  public Engine(Clock clock, Lanes lanes, Stores stores, Supplier<String> epochs,
      EngineListener listener) {
    this(clock, lanes, stores, epochs, listener, Long.MAX_VALUE);
  }

  /**
   * @param maxRetainBytes the most bytes of history any room keeps, whatever its config asks
   *     (a room's {@code retainBytes} above it is lowered to it)
   */
  public Engine(Clock clock, Lanes lanes, Stores stores, Supplier<String> epochs,
      EngineListener listener, long maxRetainBytes) {
    this(clock, lanes, stores, epochs, listener, maxRetainBytes, Ownership.SOLE, Peers.NONE);
  }

  /**
   * @param ownership which rooms this node decides: in a cluster, a room of the shared store is
   *     claimed by its first request (decision 015)
   * @param peers the other nodes: told of this node's commits, followed for rooms another node
   *     owns (decision 021)
   */
  public Engine(Clock clock, Lanes lanes, Stores stores, Supplier<String> epochs,
      EngineListener listener, long maxRetainBytes, Ownership ownership, Peers peers) {
    this.ownership = Objects.requireNonNull(ownership, "ownership");
    this.peers = Objects.requireNonNull(peers, "peers");
    this.maxRetainBytes = maxRetainBytes;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lanes = Objects.requireNonNull(lanes, "lanes");
    this.stores = Objects.requireNonNull(stores, "stores");
    this.epochs = Objects.requireNonNull(epochs, "epochs");
    this.listener = SafeListener.of(Objects.requireNonNull(listener, "listener"));
    peers.serve(new Peers.Owner() {
      @Override
      public <A> void serve(String from, String room, RoomRequest<A> request, Reply<A> reply) {
        serveForwarded(from, room, request, reply);
      }

      @Override
      public void nodeLeft(String node) {
        rooms.values().forEach(r -> r.nodeLeft(node));
      }
    }, (v, f) -> {
      if (f != null) {
        LOG.log(System.Logger.Level.ERROR, "other nodes cannot hand requests to this node", f);
      }
    });
  }

  /**
   * A request another node handed over (decisions 023, 024): served here as if it came from a
   * client of this node, except that the room never hands it on again if it is not this node's.
   * A room this node has not loaded (made by another node since this one started) is loaded
   * from the shared store first.
   */
  private <A> void serveForwarded(String from, String room, RoomRequest<A> request,
      Reply<A> reply) {
    LiveRoom live = rooms.get(room);
    if (live != null) {
      ServedRequests.serve(live, from, request, reply);
      return;
    }
    if (sharedStore() == null) {
      reply.done(null, new IllegalStateException("room " + room + " is not known on this node"));
      return;
    }
    loadShared(room, (loaded, f) -> {
      if (f != null || loaded == null) {
        reply.done(null, new IllegalStateException("room " + room + (f == null
            ? " is not in the shared store" : " could not be read: " + f.getMessage()), f));
      } else {
        ServedRequests.serve(loaded, from, request, reply);
      }
    });
  }

  /**
   * Room {@code name} as the shared store holds it, made this node's object for it; null when
   * the store does not hold it or there is no shared store (one node).
   */
  private void loadShared(String name, Reply<LiveRoom> reply) {
    Store shared = sharedStore();
    if (shared == null) {
      reply.done(null, null);
      return;
    }
    shared.load(name, clock.millis(), (stored, f) ->
        reply.done(stored == null ? null : loaded(stored, shared), f));
  }

  /** The store this node shares with other nodes, or null (one node). */
  private Store sharedStore() {
    return stores.all().stream().filter(ownership::governs).findFirst().orElse(null);
  }

  /** The room of {@code stored}, which another node made: this node's object for it. */
  private LiveRoom loaded(StoredRoom stored, Store store) {
    return rooms.computeIfAbsent(stored.name(), n -> {
      listener.roomOpened(n);
      return recovered(stored, store);
    });
  }

  /** The room {@code s} holds, its history bounded by this engine's. */
  private LiveRoom recovered(StoredRoom s, Store store) {
    LiveRoom live = new LiveRoom(new Room(s.name(), bounded(s.config()), s.epoch()), store,
        lanes.laneOf(s.name()), clock, listener, this::forget, ownership, peers);
    live.restore(s);
    return live;
  }

  /** The listener the engine tells of its work; surfaces tell it of their connections. */
  public EngineListener listener() {
    return listener;
  }

  /** Epochs of 64 random bits, as 16 hex digits. */
  public static Supplier<String> randomEpochs() {
    SecureRandom random = new SecureRandom();
    return () -> {
      byte[] b = new byte[8];
      random.nextBytes(b);
      return HexFormat.of().formatHex(b);
    };
  }

  /** Loads every room from every store. Blocking; call once, before serving. */
  public int recover() {
    int count = 0;
    for (Store store : stores.all()) {
      for (StoredRoom s : store.recover(clock.millis())) {
        rooms.put(s.name(), recovered(s, store));
        listener.roomOpened(s.name());
        count++;
      }
    }
    return count;
  }

  /** The room of that name, or null when there is none. */
  public RoomHandle room(String name) {
    return rooms.get(name);
  }

  /**
   * The room of that name as the shared store last holds it, or null when there is none: for
   * a door that must see what another node did to a room (decision 026). A room this node
   * decides, or any room on one node, is answered at once; a room another node decides has its
   * attributes read again from the store; a room made on another node since this one started
   * is loaded from the store. Fails only when the store cannot be read.
   */
  public void find(String name, Reply<RoomHandle> reply) {
    LiveRoom live = rooms.get(name);
    if (live != null) {
      live.refreshed((v, f) -> reply.done(f == null ? live : null, f));
      return;
    }
    loadShared(name, (loaded, f) -> reply.done(loaded, f));
  }

  /**
   * The room of that name, created with {@code config} if there is none yet (an existing room
   * keeps its own config). Creating is recorded in the room's store before any of its writes.
   */
  public RoomHandle open(String name, RoomConfig config) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("room name must not be empty");
    }
    LiveRoom existing = rooms.get(name);
    if (existing != null) {
      return existing;
    }
    Store store = stores.forConfig(config);
    return rooms.computeIfAbsent(name, n -> {
      LiveRoom live = new LiveRoom(new Room(n, bounded(config), epochs.get()), store,
          lanes.laneOf(n), clock, listener, this::forget, ownership, peers);
      listener.roomOpened(n);
      // on the lane before anyone can ask the room anything: every request waits for it
      live.create();
      return live;
    });
  }

  /** {@code config}, its history bounded by the engine's {@code maxRetainBytes}. */
  private RoomConfig bounded(RoomConfig config) {
    return config.withRetainBytes(Math.min(config.retainBytes(), maxRetainBytes));
  }

  /** Drops a room its store does not hold (its creation failed), so it can be created again. */
  private void forget(LiveRoom room) {
    if (rooms.remove(room.name(), room)) {
      listener.roomDeleted(room.name());
    }
  }

  /**
   * Removes a room and everything it holds; its subscribers are dropped, and the room object
   * refuses every later request (adapters may hold it still). In a cluster the room's owner
   * deletes it (this node claims it first if nobody holds it), and every node that knows the
   * room drops it and closes its subscribers with {@link RoomClosed#DELETED} (decision 028).
   */
  public void delete(String name, Reply<Void> reply) {
    LiveRoom live = rooms.get(name);
    if (live != null) {
      live.delete(reply);
      return;
    }
    // in a cluster, a room made on another node since this one started is still the store's
    loadShared(name, (loaded, f) -> {
      if (loaded == null) {
        reply.done(null, f);
      } else {
        loaded.delete(reply);
      }
    });
  }

  /**
   * Whether this node decides room {@code name} now (in a cluster, holds its lease; on one node,
   * any room it has): upkeep that deletes rooms runs only where this is true, so one node, not
   * every node that knows the room, decides it.
   */
  public boolean decides(String name) {
    LiveRoom live = rooms.get(name);
    return live != null && live.decidedHere();
  }

  public Collection<RoomHandle> rooms() {
    return Collections.unmodifiableCollection(rooms.values());
  }

  /** Each led room's leader, by room name. */
  public Map<String, String> leaders() {
    Map<String, String> leaders = new LinkedHashMap<>();
    rooms.forEach((name, r) -> {
      String l = r.leader();
      if (l != null) {
        leaders.put(name, l);
      }
    });
    return leaders;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Upkeep of every room (presence and stream expiry, history trimming), and a probe of every
   * failing store so that it is known when it works again; call periodically.
   */
  public void tick() {
    rooms.values().forEach(LiveRoom::tick);
    long now = clock.millis();
    for (Store s : stores.all()) {
      if (!s.failing()) {
        probeAt.remove(s);
      } else if (now >= probeAt.computeIfAbsent(s, k -> now + PROBE_INTERVAL_MILLIS)
          && probing.add(s)) {
        probeAt.put(s, now + PROBE_INTERVAL_MILLIS);
        s.probe(failure -> probing.remove(s));
      }
    }
  }

  /** Whether a store of this engine is failing (see {@link Store#failing}). */
  public boolean storeFailing() {
    return stores.all().stream().anyMatch(Store::failing);
  }

  /**
   * Commits a probe to every store ({@link Store#probe}) and calls {@code done} once all have
   * answered: with null when each took it, else with the first failure. For readiness checks;
   * {@code done} runs on whichever store thread answers last.
   */
  public void probeStores(Consumer<Throwable> done) {
    List<Store> all = stores.all();
    AtomicInteger left = new AtomicInteger(all.size());
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    for (Store s : all) {
      s.probe(failure -> {
        if (failure != null) {
          firstFailure.compareAndSet(null, failure);
        }
        if (left.decrementAndGet() == 0) {
          done.accept(firstFailure.get());
        }
      });
    }
  }

  /** Purges expired stream messages from every store. */
  public void expireStored() {
    long now = clock.millis();
    for (Store s : stores.all()) {
      s.expire(now);
    }
  }

  /** Waits until every room's lane has run what was queued before this call. */
  public void quiesce(long timeoutMillis) {
    List<LiveRoom> all = new ArrayList<>(rooms.values());
    CountDownLatch done = new CountDownLatch(all.size());
    all.forEach(r -> r.run(done::countDown));
    try {
      done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Finishes queued decisions, commits everything to the stores and closes them, then stops
   * the lanes.
   */
  @Override
  public void close() {
    quiesce(10_000);
    for (Store s : stores.all()) {
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "closing a store failed", e);
      }
    }
    lanes.close();
  }
}
