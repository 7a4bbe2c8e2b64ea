package dev.livestate.server.adapter.uisync;

import dev.livestate.access.Home;
import dev.livestate.access.Permit;
import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.server.auth.InvalidToken;
import dev.livestate.server.auth.SurfaceAccess;
import dev.livestate.server.http.Cors;
import dev.livestate.server.http.ClientAddresses;
import dev.livestate.server.http.WebSocketRoute;
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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

/**
 * Photon Ranch UI sync: a drop-in for its Flask-SocketIO server. Socket.IO v4 (Engine.IO 4, both
 * HTTP long-polling and WebSocket) on the main port through socket.io-server / engine.io-server,
 * bridged to Vert.x routes here; the semantics are in {@link UiSyncHub}.
 */
public final class UiSyncSurface implements Surface {
  private static final System.Logger LOG = System.getLogger(UiSyncSurface.class.getName());

  private final UiSyncConfig config;
  /**
   * Which pages may poll (engine.io's own CORS handling, which echoes any origin with
   * credentials, is off); the WebSocket upgrade checks the same origins.
   */
  private final Cors cors;
  private EngineIoServer engineIo;
  private ScheduledThreadPoolExecutor timers;
  /** The WebSocket a direct (websocket-only) handshake is being made on, on this thread. */
  private final ThreadLocal<VertxEngineWebSocket> handshaking = new ThreadLocal<>();
  /** WebSockets offered as upgrades, by Engine.IO session id, until the upgrade completes. */
  private final Map<String, VertxEngineWebSocket> candidates = new ConcurrentHashMap<>();
  /** The WebSocket now carrying each Engine.IO session that is on that transport. */
  private final Map<String, VertxEngineWebSocket> active = new ConcurrentHashMap<>();
  private final Map<String, UiSyncSession> bySid = new ConcurrentHashMap<>();
  /** The polling transport of each Engine.IO session begun on polling, to close it by. */
  private final Map<String, Runnable> pollingFailures = new ConcurrentHashMap<>();
  /** The session a polling handshake on this thread has just opened. */
  private final ThreadLocal<String> pollingHandshake = new ThreadLocal<>();

  @Override
  public String name() {
    return "uisync";
  }

  public UiSyncSurface(UiSyncConfig config) {
    this.config = config;
    this.cors = Cors.allowing(config.origins()).withCredentials()
        .withMethods(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.POST, HttpMethod.DELETE)
        .withAnyHeaders();
  }

  @Override
  public void mount(ServerContext ctx) {
    long maxMessage = config.maxMessage();

    EngineIoServerOptions eio = EngineIoServerOptions.newFromDefault();
    eio.setPingInterval(config.pingInterval().toMillis());
    eio.setPingTimeout(config.pingTimeout().toMillis());
    eio.setCorsHandlingDisabled(true);
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
    UiSyncCodec codec = new UiSyncCodec(ctx.json());
    engineIo.on("connection", args -> {
      EngineIoSocket es = (EngineIoSocket) args[0];
      String sid = es.getId();
      EventReader.install(es, codec);
      VertxEngineWebSocket direct = handshaking.get();
      if (direct != null) {
        // a session begun on a WebSocket neither polls nor upgrades: no listeners for those,
        // which would cost each idle connection some 200 bytes
        active.put(sid, direct);
      } else {
        pollingHandshake.set(sid);
        es.on("flush", a -> {
          UiSyncSession s = bySid.get(sid);
          if (s != null) {
            s.polled();
          }
        });
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
      }
      es.on("close", a -> {
        active.remove(sid);
        candidates.remove(sid);
        bySid.remove(sid);
        pollingFailures.remove(sid);
      });
    });

    UiSyncGuard guard = new UiSyncGuard(
        new SurfaceAccess(Home.UI_SYNC, config.access(), ctx.gate()), codec,
        ctx.engine().clock(), ctx.quotas().changesPerSecond());
    UiSyncHub hub = new UiSyncHub(ctx.engine(), codec, new UiSyncHub.Options(
        config.takeover(), config.leaderGrace(), config.leaderSecrets()), guard);
    SocketIoNamespace main = socketIo.namespace("/");
    main.on("connection", args -> {
      SocketIoSocket socket = (SocketIoSocket) args[0];
      // the library joins each socket to a room of its own id; sessions are written to directly
      // and nothing broadcasts through the library's rooms, whose two sets would cost each idle
      // connection some 450 bytes
      socket.leaveRoom(socket.getId());
      EngineIoSocket es = socket.getClient().getConnection();
      Permit permit = admit(socket, codec, guard);
      if (permit == null) {
        return;
      }
      long maxBacklog = ctx.limits().maxQueuedBytes();
      UiSyncSession session = new UiSyncSession(socket.getId(), es,
          codec.connectSecret(socket.getConnectData()), permit, guard.allowance(),
          new PollingBacklog(maxBacklog, () -> closePolling(es.getId(), maxBacklog)));
      bySid.put(es.getId(), session);
      long expiry = permit.millisLeft(ctx.engine().clock().millis());
      long expiryTimer = expiry < 0 ? -1 : ctx.vertx().setTimer(expiry, t ->
          turnAway(socket, codec, "token expired: connect again with a fresh one"));
      VertxEngineWebSocket ws = active.get(es.getId());
      if (ws != null) {
        session.upgraded(ws);
      }
      Consumer<UiSyncRequest> events =
          request -> session.enqueue(done -> hub.handle(session, request, done));
      // none before an Engine.IO 3 client's connect: socket.io-server joins it to "/" first
      EventReader reader = EventReader.of(es);
      if (reader != null) {
        reader.readInto(events);
      }
      socket.registerAllEventListener(
          (event, eventArgs) -> events.accept(codec.decode(event, eventArgs)));
      socket.on("disconnect", a -> {
        if (reader != null) {
          reader.stop();
        }
        session.enqueue(done -> {
          ctx.vertx().cancelTimer(expiryTimer);
          hub.disconnected(session);
          done.run();
        });
      });
      hub.connected(session);
    });
    ctx.clients().add(hub::clients);

    String path = config.path();
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    var router = ctx.router();
    router.post(base + "*").handler(BodyHandler.create(false).setBodyLimit(maxMessage));
    Limits limits = ctx.limits().withWriteDelay(config.writeDelay());
    router.route(base + "*").handler(rc -> serve(rc, maxMessage, limits, ctx.addresses()));
    // the original answered GET / for health checks; other surfaces may serve / to WebSockets
    router.get("/").handler(rc -> {
      if (WebSocketRoute.isUpgrade(rc)) {
        rc.next();
        return;
      }
      rc.response().putHeader("Content-Type", "text/html; charset=utf-8")
          .end("<p>UI Sync is online</p>");
    });
  }

  /**
   * The permit of a new Socket.IO connection, from its token ({@code auth: {token}}, else the
   * {@code token} query parameter); on a closed surface a connection without a valid one is
   * told why (an {@code error} event for {@code connect}) and disconnected, and null returned.
   */
  private static Permit admit(SocketIoSocket socket, UiSyncCodec codec, UiSyncGuard guard) {
    String token = codec.connectToken(socket.getConnectData());
    if (token == null) {
      token = socket.getInitialQuery().get("token");
    }
    try {
      return guard.permit(token);
    } catch (InvalidToken e) {
      turnAway(socket, codec, e.getMessage());
      return null;
    }
  }

  /**
   * Tells a client why it may not stay (an {@code error} event for {@code connect}, sent the
   * library's way so that it leaves before the disconnect) and disconnects it: socket.io-client
   * does not reconnect after a server's disconnect.
   */
  private static void turnAway(SocketIoSocket socket, UiSyncCodec codec, String why) {
    socket.getClient().getConnection()
        .send(codec.error("connect", null, UiSyncError.UNAUTHORIZED, why).packet());
    socket.disconnect(false);
  }

  /**
   * Refuses, as Node's engine.io does, a request whose query repeats a name or does not decode
   * (its error 3) or names an Engine.IO version other than 3 or 4 (error 5, where the library
   * would answer in version 3): a polling request with 400 and the error as JSON, an upgrade
   * with 400 and the error's text.
   */
  private static boolean refusedHandshake(RoutingContext rc, Optional<Map<String, String>> query,
      boolean upgrade) {
    String eio = query.map(q -> q.get("EIO")).orElse(null);
    int code;
    String message;
    if (query.isEmpty()) {
      code = 3;
      message = "Bad request";
    } else if (eio != null && !eio.equals("3") && !eio.equals("4")) {
      code = 5;
      message = "Unsupported protocol version";
    } else {
      return false;
    }
    if (upgrade) {
      rc.response().setStatusCode(400).putHeader("content-type", "text/html").end(message);
    } else {
      rc.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end("{\"code\":" + code + ",\"message\":\"" + message + "\"}");
    }
    return true;
  }

  private void serve(RoutingContext rc, long maxMessage, Limits limits,
      ClientAddresses addresses) {
    HttpServerRequest req = rc.request();
    Optional<Map<String, String>> query = VertxEngineWebSocket.query(req.query());
    if (WebSocketRoute.isUpgrade(rc)) {
      if (refusedHandshake(rc, query, true)) {
        return;
      }
      // per-message compression is negotiated server-wide (setting websocket.compression)
      WebSocketRoute.upgrade(rc, config.origins(), (ws, transport) -> {
        VertxEngineWebSocket socket = new VertxEngineWebSocket(ws, query.get(), transport,
            addresses.of(ws), maxMessage, limits);
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
    if (!cors.answer(rc)) {
      return; // a preflight, or a page the surface does not allow: answered
    }
    if (refusedHandshake(rc, query, false)) {
      return;
    }
    Buffer body = rc.body() == null ? null : rc.body().buffer();
    if (body != null && Nesting.deeperThan(body.getBytes(), Nesting.limit(limits.maxJsonDepth()))) {
      rc.response().setStatusCode(400).end("message nested too deeply");
      return;
    }
    PollingExchange exchange = new PollingExchange(req, body);
    rc.response().closeHandler(v -> exchange.connectionClosed());
    pollingHandshake.remove();
    try {
      engineIo.handleRequest(exchange.servletRequest(), exchange.servletResponse());
      String opened = pollingHandshake.get();
      Runnable failure = exchange.transportFailure();
      if (opened != null && failure != null) {
        pollingFailures.put(opened, failure);
      }
    } catch (Exception | StackOverflowError e) {
      // a payload nested deeper than the library's decoder can recurse: refuse this request
      if (!rc.response().ended()) {
        rc.response().setStatusCode(400).end();
      }
      return;
    }
    exchange.handled();
  }

  /**
   * Closes a polling client's Engine.IO session that let more than {@code maxBacklog} bytes wait
   * for a poll, the way the library closes one whose poll failed; its buffer goes with it.
   */
  private void closePolling(String sid, long maxBacklog) {
    Runnable failure = pollingFailures.remove(sid);
    if (failure != null) {
      LOG.log(System.Logger.Level.INFO, "uisync session " + sid + " closed: more than "
          + maxBacklog + " bytes waited for a poll (limits.max-queued)");
      failure.run();
    }
  }

  @Override
  public List<String> endpoints() {
    String path = config.path();
    return List.of("http://{base}" + path + " (Socket.IO v4: polling and websocket)");
  }

  /**
   * Closes every WebSocket as going away before engine.io-server closes its sessions (polling
   * ones with its own close packet), which would close the rest with 1000.
   */
  @Override
  public void close() {
    active.values().forEach(VertxEngineWebSocket::goAway);
    candidates.values().forEach(VertxEngineWebSocket::goAway);
    if (engineIo != null) {
      engineIo.shutdown();
    }
    if (timers != null) {
      timers.shutdownNow();
    }
  }
}
