package dev.livestate.server.adapter.uisync;

import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.server.config.Setting;
import dev.livestate.server.http.Limits;
import io.socket.engineio.server.EngineIoServer;
import io.socket.engineio.server.EngineIoSocket;
import io.socket.engineio.server.EngineIoServerOptions;
import io.socket.socketio.server.SocketIoNamespace;
import io.socket.socketio.server.SocketIoServer;
import io.socket.socketio.server.SocketIoSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Photon Ranch UI sync: a drop-in for its Flask-SocketIO server. Socket.IO v4 (Engine.IO 4, both
 * HTTP long-polling and WebSocket) on the main port through socket.io-server / engine.io-server,
 * bridged to Vert.x routes here; the semantics are in {@link UiSyncHub}.
 */
public final class UiSyncSurface implements Surface {
  public static final Setting<String> PATH =
      Setting.string("uisync.path", "/socket.io/", "Path of the UI sync Socket.IO endpoint");
  public static final Setting<String> CORS_ORIGINS =
      Setting.string("uisync.cors-origins", "*",
          "Origins allowed to use UI sync from a browser: * (any; the origin is echoed with"
              + " credentials allowed) or a comma-separated list");
  public static final Setting<String> TAKEOVER =
      Setting.string("uisync.takeover", "allow",
          "new_leader at a site that has a leader: allow (the old leader gets confirm_leader_end)"
              + " or refuse (the newcomer gets an error event)");
  public static final Setting<Duration> LEADER_GRACE =
      Setting.duration("uisync.leader-grace", "0s",
          "How long a disconnected leader keeps its site; the same leader (leader.id, else name)"
              + " reconnecting within it takes the site back");
  public static final Setting<String> LEADER_SECRETS =
      Setting.string("uisync.leader-secrets", "",
          "Leader authentication, off when empty: site=secret pairs, comma-separated; * for every"
              + " site. A leader presents it as new_leader's secret (or token), or as the"
              + " Socket.IO auth token");
  public static final Setting<Long> MAX_MESSAGE =
      Setting.bytes("uisync.max-message", "1m", "Largest Socket.IO message accepted, in bytes");
  public static final Setting<Duration> PING_INTERVAL =
      Setting.duration("uisync.ping-interval", "25s", "Engine.IO heartbeat interval");
  public static final Setting<Duration> PING_TIMEOUT =
      Setting.duration("uisync.ping-timeout", "20s", "Engine.IO heartbeat timeout");
  public static final Setting<Duration> WRITE_DELAY =
      Setting.duration("uisync.write-delay", "33ms",
          "websocket.write-delay for UI sync's WebSocket clients: a follower mirrors a leader's"
              + " screen, so it gets at most one write per this interval (about 30 a second),"
              + " carrying every change since the last; a quiet follower gets the next at once."
              + " 0 writes every change at once");

  private EngineIoServer engineIo;
  private ScheduledThreadPoolExecutor timers;
  /** The WebSocket a direct (websocket-only) handshake is being made on, on this thread. */
  private final ThreadLocal<VertxEngineWebSocket> handshaking = new ThreadLocal<>();
  /** WebSockets offered as upgrades, by Engine.IO session id, until the upgrade completes. */
  private final Map<String, VertxEngineWebSocket> candidates = new ConcurrentHashMap<>();
  /** The WebSocket now carrying each Engine.IO session that is on that transport. */
  private final Map<String, VertxEngineWebSocket> active = new ConcurrentHashMap<>();
  private final Map<String, UiSyncSession> bySid = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "uisync";
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(PATH, CORS_ORIGINS, TAKEOVER, LEADER_GRACE, LEADER_SECRETS, MAX_MESSAGE,
        PING_INTERVAL, PING_TIMEOUT, WRITE_DELAY);
  }

  @Override
  public void mount(ServerContext ctx) {
    var settings = ctx.settings();
    String takeover = settings.get(TAKEOVER);
    if (!takeover.equals("allow") && !takeover.equals("refuse")) {
      throw new IllegalArgumentException("uisync.takeover must be allow or refuse, not " + takeover);
    }
    long maxMessage = settings.get(MAX_MESSAGE);
    String origins = settings.get(CORS_ORIGINS).trim();

    EngineIoServerOptions eio = EngineIoServerOptions.newFromDefault();
    eio.setPingInterval(settings.get(PING_INTERVAL).toMillis());
    eio.setPingTimeout(settings.get(PING_TIMEOUT).toMillis());
    eio.setAllowedCorsOrigins(origins.equals("*") ? null : origins.split("\\s*,\\s*"));
    // heartbeats: cancelled timeouts leave the queue at once (each pong replaces one)
    timers = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "uisync-heartbeat");
      t.setDaemon(true);
      return t;
    });
    timers.setRemoveOnCancelPolicy(true);
    eio.setScheduledExecutorService(timers);
    engineIo = new EngineIoServer(eio);
    SocketIoServer socketIo = new SocketIoServer(engineIo);
    engineIo.on("connection", args -> {
      EngineIoSocket es = (EngineIoSocket) args[0];
      String sid = es.getId();
      VertxEngineWebSocket direct = handshaking.get();
      if (direct != null) {
        active.put(sid, direct);
      }
      es.on("upgrade", a -> {
        VertxEngineWebSocket ws = candidates.remove(sid);
        if (ws != null) {
          active.put(sid, ws);
          UiSyncSession s = bySid.get(sid);
          if (s != null) {
            s.upgraded(ws);
          }
        }
      });
      es.on("close", a -> {
        active.remove(sid);
        candidates.remove(sid);
        bySid.remove(sid);
      });
    });

    UiSyncCodec codec = new UiSyncCodec(ctx.json());
    UiSyncHub hub = new UiSyncHub(ctx.engine(), codec, new UiSyncHub.Options(
        takeover.equals("refuse"), settings.get(LEADER_GRACE), secrets(settings.get(LEADER_SECRETS))));
    SocketIoNamespace main = socketIo.namespace("/");
    main.on("connection", args -> {
      SocketIoSocket socket = (SocketIoSocket) args[0];
      EngineIoSocket es = socket.getClient().getConnection();
      UiSyncSession session = new UiSyncSession(socket.getId(), es,
          codec.connectSecret(socket.getConnectData()));
      bySid.put(es.getId(), session);
      VertxEngineWebSocket ws = active.get(es.getId());
      if (ws != null) {
        session.upgraded(ws);
      }
      socket.registerAllEventListener((event, eventArgs) -> {
        UiSyncRequest request = codec.decode(event, eventArgs);
        session.enqueue(done -> hub.handle(session, request, done));
      });
      socket.on("disconnect", a -> session.enqueue(done -> {
        hub.disconnected(session);
        done.run();
      }));
      hub.connected(session);
    });

    String path = settings.get(PATH);
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    var router = ctx.router();
    router.post(base + "*").handler(BodyHandler.create(false).setBodyLimit(maxMessage));
    Limits limits = ctx.limits().withWriteDelay(settings.get(WRITE_DELAY));
    router.route(base + "*").handler(rc -> serve(rc, origins, maxMessage, limits));
    // the original answered GET / for health checks; other surfaces may serve / to WebSockets
    router.get("/").handler(rc -> {
      if ("websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
        rc.next();
        return;
      }
      rc.response().putHeader("Content-Type", "text/html; charset=utf-8")
          .end("<p>UI Sync is online</p>");
    });
  }

  private void serve(RoutingContext rc, String origins, long maxMessage, Limits limits) {
    HttpServerRequest req = rc.request();
    if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      // per-message compression is negotiated server-wide (setting websocket.compression)
      HttpConnection transport = req.connection();
      req.toWebSocket().onSuccess(ws -> {
        VertxEngineWebSocket socket = new VertxEngineWebSocket(ws, transport, maxMessage, limits);
        String sid = socket.getQuery().get("sid");
        if (sid != null) {
          candidates.put(sid, socket);
          engineIo.handleWebSocket(socket);
          return;
        }
        handshaking.set(socket);
        try {
          engineIo.handleWebSocket(socket);
        } finally {
          handshaking.remove();
        }
      });
      return;
    }
    if (req.method() == HttpMethod.OPTIONS) {
      preflight(rc, origins);
      return;
    }
    Buffer body = rc.body() == null ? null : rc.body().buffer();
    if (body != null && Nesting.deeperThan(body.getBytes(), Nesting.limit(limits.maxJsonDepth()))) {
      rc.response().setStatusCode(400).end("message nested too deeply");
      return;
    }
    PollingExchange exchange = new PollingExchange(req, body);
    rc.response().closeHandler(v -> exchange.connectionClosed());
    try {
      engineIo.handleRequest(exchange.servletRequest(), exchange.servletResponse());
    } catch (Exception | StackOverflowError e) {
      // a payload nested deeper than the library's decoder can recurse: refuse this request
      if (!rc.response().ended()) {
        rc.response().setStatusCode(400).end();
      }
      return;
    }
    exchange.handled();
  }

  private static void preflight(RoutingContext rc, String origins) {
    String origin = rc.request().getHeader("Origin");
    var res = rc.response();
    if (origin != null && (origins.equals("*")
        || List.of(origins.toLowerCase().split("\\s*,\\s*")).contains(origin.toLowerCase()))) {
      res.putHeader("Access-Control-Allow-Origin", origin)
          .putHeader("Access-Control-Allow-Credentials", "true")
          .putHeader("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE")
          .putHeader("Vary", "Origin");
      String headers = rc.request().getHeader("Access-Control-Request-Headers");
      res.putHeader("Access-Control-Allow-Headers",
          headers != null ? headers : "origin, content-type, accept");
    }
    res.setStatusCode(204).end();
  }

  static Map<String, String> secrets(String spec) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : spec.split(",")) {
      String p = pair.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0 || eq == p.length() - 1) {
        throw new IllegalArgumentException("uisync.leader-secrets: expected site=secret, got " + p);
      }
      out.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
    }
    return Map.copyOf(out);
  }

  @Override
  public List<String> endpoints(ServerContext ctx) {
    String path = ctx.settings().get(PATH);
    return List.of("http://{base}" + path + " (Socket.IO v4: polling and websocket)");
  }

  @Override
  public void close() {
    if (engineIo != null) {
      engineIo.shutdown();
    }
    if (timers != null) {
      timers.shutdownNow();
    }
  }
}
