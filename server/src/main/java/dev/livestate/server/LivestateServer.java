package dev.livestate.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.engine.Engine;
import dev.livestate.engine.Lanes;
import dev.livestate.engine.Ownership;
import dev.livestate.engine.Peers;
import dev.livestate.engine.Stores;
import dev.livestate.server.auth.AuthConfig;
import dev.livestate.server.auth.Gate;
import dev.livestate.server.cluster.ClusterConfig;
import dev.livestate.server.cluster.ClusterNode;
import dev.livestate.server.cluster.ClusterRoutes;
import dev.livestate.server.config.OperationsSettings;
import dev.livestate.server.config.ServerSettings;
import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import dev.livestate.server.guard.ClientRates;
import dev.livestate.server.guard.Quotas;
import dev.livestate.server.guard.RoomCreations;
import dev.livestate.server.http.ClientAddresses;
import dev.livestate.server.http.ConnectedClients;
import dev.livestate.server.http.ConnectionsPerAddress;
import dev.livestate.server.http.ErrorShapes;
import dev.livestate.server.http.EventLoopServers;
import dev.livestate.server.http.JsonMapper;
import dev.livestate.server.http.Limits;
import dev.livestate.server.http.RequestDeadline;
import dev.livestate.store.MemoryStore;
import dev.livestate.store.Store;
import dev.livestate.server.store.StoreConfig;
import dev.livestate.server.store.StoreFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole server: engine, stores, one HTTP port and every surface mounted on it. */
public final class LivestateServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LivestateServer.class);

  private final Settings settings;
  private final List<Surface> surfaces;
  private final Vertx vertx;
  private final Engine engine;
  private final EventLoopServers http;
  private final ServerContext context;
  private final long[] timers;
  private final Operator operator;
  /** This server as a cluster node; null on a single node. */
  private final ClusterNode node;

  private LivestateServer(Settings settings, ClusterConfig cluster, List<Surface> surfaces)
      throws Exception {
    this.settings = settings;
    this.surfaces = surfaces;
    HeapReturn.configure(settings.get(ServerSettings.MAX_FREE_HEAP));
    Limits limits = Limits.from(settings);
    Quotas quotas = Quotas.from(settings);
    Gate gate = Gate.from(AuthConfig.from(settings));
    ObjectMapper json = JsonMapper.create(limits);
    this.operator = new Operator(settings);
    this.vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(eventLoops(settings))
        .setPreferNativeTransport(true));
    Stores stores = stores(settings, surfaces);
    this.node = cluster.enabled() ? new ClusterNode(vertx, cluster,
        cluster.node(settings.get(ServerSettings.PORT)), stores.durable()) : null;
    this.engine = new Engine(Clock.systemUTC(), Lanes.threads(lanes(settings)), stores,
        Engine.randomEpochs(), operator.listener(), settings.get(ServerSettings.MAX_ROOM_HISTORY),
        node == null ? Ownership.SOLE : node.ownership(),
        node == null ? Peers.NONE : node.peers());
    int recovered = engine.recover();
    Router router = Router.router(vertx);
    // the JS clients' bundles, built into the jar: /js/<package>/<file>
    router.route("/js/*").handler(StaticHandler.create("webroot/js"));
    // the example pages, copied into the jar from examples/: /examples/<name>/
    router.route("/examples/*").handler(StaticHandler.create("webroot/examples"));
    RoomCreations creations = new RoomCreations(quotas);
    ClientRates changesByClient =
        new ClientRates(quotas.changesPerSecond(), 2 * quotas.changesPerSecond());
    ErrorShapes errorShapes = new ErrorShapes();
    ClientAddresses addresses =
        new ClientAddresses(settings.get(ServerSettings.TRUSTED_PROXIES));
    this.context = new ServerContext(vertx, router, engine, json, limits, quotas, gate, creations,
        changesByClient, errorShapes, node == null ? null : node.node(), new ConnectedClients(),
        addresses);
    for (Surface s : surfaces) {
      s.mount(context);
    }
    operator.mount(context, node);
    if (node != null) {
      new ClusterRoutes(node, gate, json).mount(router);
    }
    errorShapes.install(router);
    int maxMessage = (int) Math.min(Integer.MAX_VALUE, limits.maxMessageBytes());
    HttpServerOptions options = new HttpServerOptions()
        .setHost(settings.get(ServerSettings.HOST))
        .setPort(settings.get(ServerSettings.PORT))
        .setMaxWebSocketFrameSize(maxMessage)
        .setMaxWebSocketMessageSize(maxMessage)
        .setMaxFormAttributeSize(maxMessage)
        .setTcpNoDelay(true)
        // HTTP/1.1 and WebSockets only: with h2c on, Vert.x reads a connection's first bytes
        // before it hands the connection over, and limits.request-timeout would start late
        .setHttp2ClearTextEnabled(false)
        .setCompressionSupported(false)
        // Vert.x offers permessage-deflate unless told otherwise; compressing per connection
        // would undo encoding each broadcast once
        .setPerMessageWebSocketCompressionSupported(settings.get(ServerSettings.WEBSOCKET_COMPRESSION))
        .setPerFrameWebSocketCompressionSupported(settings.get(ServerSettings.WEBSOCKET_COMPRESSION));
    ConnectionsPerAddress perAddress =
        new ConnectionsPerAddress(vertx, quotas.maxConnectionsPerAddress(), addresses);
    Duration requestTimeout = settings.get(ServerSettings.REQUEST_TIMEOUT);
    this.http = EventLoopServers.listen(vertx, options, eventLoops(settings),
        connection -> {
          RequestDeadline.watch(connection, requestTimeout);
          perAddress.onConnection(connection);
        },
        perAddress.requests(router));
    Optional<IdleCollection> idle = IdleCollection.start(
        settings.get(ServerSettings.IDLE_COLLECTION), System.currentTimeMillis());
    this.timers = new long[] {
        vertx.setPeriodic(1000, id -> engine.tick()),
        idle.isEmpty() ? -1
            : vertx.setPeriodic(500, id -> idle.get().tick(System.currentTimeMillis())),
        vertx.setPeriodic(Math.max(1, settings.get(ServerSettings.PURGE_INTERVAL).toMillis()),
            id -> engine.expireStored()),
        vertx.setPeriodic(60_000, id -> {
          creations.prune(System.nanoTime());
          changesByClient.prune(System.nanoTime());
        })
    };
    LOG.info("livestate listening on port {} ({} rooms recovered, {} sockets, {} event loops)",
        http.port(), recovered, vertx.isNativeTransportEnabled() ? "epoll" : "NIO",
        eventLoops(settings));
    if (gate.tokens()) {
      LOG.info("token mode: native and HTTP API clients need a token signed with {}",
          describeKeys(settings));
    } else {
      LOG.warn("OPEN MODE (development): anyone may use native rooms, with no token; set"
          + " --auth-hmac-secret or --auth-public-keys to require tokens");
    }
    if (!settings.get(ServerSettings.TRUSTED_PROXIES).isEmpty()) {
      LOG.info("client addresses: from X-Forwarded-For or Forwarded when the peer is one of {}"
          + " (net.trusted-proxies)", addresses);
    }
    Surfaces.describeAccess(settings).forEach(LOG::info);
    for (Surface s : surfaces) {
      for (String e : s.endpoints()) {
        LOG.info("  {}: {}", s.name(), e.replace("{base}", "localhost:" + http.port()));
      }
    }
  }

  private static String describeKeys(Settings settings) {
    AuthConfig auth = AuthConfig.from(settings);
    List<String> keys = new ArrayList<>();
    if (!auth.hmacSecret().isEmpty()) {
      keys.add("the HMAC secret");
    }
    if (!auth.publicKeys().isEmpty()) {
      keys.add("a key of " + auth.publicKeys());
    }
    return String.join(" or ", keys);
  }

  private static int lanes(Settings settings) {
    int lanes = settings.get(ServerSettings.LANES);
    return lanes > 0 ? lanes : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  private static int eventLoops(Settings settings) {
    int loops = settings.get(ServerSettings.EVENT_LOOPS);
    return loops > 0 ? loops : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Starts a server and returns once it listens. */
  public static LivestateServer start(Settings settings) throws Exception {
    // refused before any store is opened
    ClusterConfig cluster = ClusterConfig.from(settings);
    return new LivestateServer(settings, cluster,
        Surfaces.create(settings, new StoreFactory(StoreConfig.from(settings))));
  }

  /** Every setting: the server's own and each surface's. */
  public static List<Setting<?>> allSettings() {
    List<Setting<?>> all = new ArrayList<>(ServerSettings.all());
    all.addAll(OperationsSettings.all());
    all.addAll(AuthConfig.settings());
    all.addAll(Quotas.settings());
    all.addAll(ClusterConfig.settings());
    all.addAll(Surfaces.settings());
    return all;
  }

  private static Stores stores(Settings settings, List<Surface> surfaces) {
    Store memory = new MemoryStore();
    Store durable = new StoreFactory(StoreConfig.from(settings)).durable(memory);
    Map<String, Store> named = new LinkedHashMap<>();
    for (Surface s : surfaces) {
      for (Map.Entry<String, Store> e : s.stores().entrySet()) {
        if (named.putIfAbsent(e.getKey(), e.getValue()) != null) {
          throw new IllegalArgumentException("two surfaces name a store '" + e.getKey() + "'");
        }
      }
    }
    return new Stores(durable, memory, named);
  }

  public int port() {
    return http.port();
  }

  public Engine engine() {
    return engine;
  }

  /** This server as a cluster node, or null on a single node. */
  public ClusterNode clusterNode() {
    return node;
  }

  /** The mounted surface of that type (for tests and tools that read its state), or null. */
  public <T extends Surface> T surface(Class<T> type) {
    for (Surface s : surfaces) {
      if (type.isInstance(s)) {
        return type.cast(s);
      }
    }
    return null;
  }

  public Settings settings() {
    return settings;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Graceful stop: the surfaces close their connections as "going away" (1001) and wait, all at
   * once and for at most {@code shutdown.grace}, for the clients to answer; only then does the
   * HTTP server close (it would cut every connection still open, with 1000 for a WebSocket).
   * Then every acknowledged write is committed and the store is closed.
   */
  @Override
  public void close() {
    operator.drain();
    for (long t : timers) {
      vertx.cancelTimer(t);
    }
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (Surface s : surfaces) {
      closing.add(CompletableFuture.runAsync(() -> {
        try {
          s.close();
        } catch (RuntimeException e) {
          LOG.warn("closing surface {}: {}", s.name(), e.toString());
        }
      }));
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(settings.get(ServerSettings.SHUTDOWN_GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("connections still open after shutdown.grace: closing them");
    } catch (Exception e) {
      LOG.warn("closing the surfaces: {}", e.toString());
    }
    try {
      http.close();
    } catch (Exception e) {
      LOG.warn("closing the HTTP server: {}", e.toString());
    }
    engine.close();
    if (node != null) {
      // after the last commit: a node that takes a room over loads all this one acked
      node.close();
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("closing Vert.x: {}", e.toString());
    }
    operator.close();
    LOG.info("livestate stopped");
  }
}
