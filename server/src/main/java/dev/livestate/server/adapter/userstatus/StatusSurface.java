package dev.livestate.server.adapter.userstatus;

import dev.livestate.access.Action;
import dev.livestate.access.Home;
import dev.livestate.access.Permit;
import dev.livestate.protocol.CloseReason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.engine.RoomHandle;
import dev.livestate.room.RoomConfig;
import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.server.auth.Access;
import dev.livestate.server.auth.Gate;
import dev.livestate.server.auth.InvalidToken;
import dev.livestate.server.auth.SurfaceAccess;
import dev.livestate.server.guard.ClientAddress;
import dev.livestate.server.http.Cors;
import dev.livestate.server.http.ErrorShapes;
import dev.livestate.server.http.Origins;
import dev.livestate.server.http.WebSocketRoute;
import dev.livestate.server.http.ConnectedClients;
import dev.livestate.server.http.Connection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Status messages (seed 001): an observatory posts messages for its site; browsers read the
 * recent ones and get new ones pushed over a WebSocket. Each site is the durable stream of room
 * {@code userstatus:<site>}, so the native protocol and HTTP API see the same messages.
 */
public final class StatusSurface implements Surface {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long TOUCH_MILLIS = 15_000;

  private final Set<StatusSocket> sockets = ConcurrentHashMap.newKeySet();
  private final String prefix;
  private final long maxBody;
  private final Cors cors;
  private final Origins origins;
  private final Access accessSetting;
  private StatusAccess access;
  /** Presence never expires by time here: a socket's record goes when the socket closes. */
  private final RoomConfig config;
  private ServerContext ctx;
  private long timer = -1;

  public StatusSurface(StatusConfig config) {
    this.prefix = config.path();
    this.maxBody = config.maxBody();
    this.origins = config.origins();
    this.accessSetting = config.access();
    this.cors = Cors.allowing(origins).withAnyHeaders()
        .refusingWith((rc, reason) -> error(rc, new StatusError(403, null, reason)));
    this.config = RoomConfig.DEFAULT.withStream(config.ttl(), config.maxMessages())
        .withPresenceTimeout(Duration.ZERO);
  }

  @Override
  public String name() {
    return "userstatus";
  }

  @Override
  public void mount(ServerContext context) {
    this.ctx = context;
    this.access = new StatusAccess(
        new SurfaceAccess(Home.USER_STATUS, accessSetting, context.gate()),
        context.changesByClient(), context.quotas().changesPerSecond(), context.engine().clock());
    Router router = context.router();
    String all = prefix + "/*";
    router.route(all).handler(cors);
    if (prefix.isEmpty()) {
      for (String path : List.of("/newlog", "/recent-logs", "/onlineusers", "/ws")) {
        context.errorShapes().claimPath(path, this::refusal);
      }
    } else {
      context.errorShapes().claimTree(prefix, this::refusal);
    }
    router.post(prefix + "/newlog").handler(BodyHandler.create(false).setBodyLimit(maxBody));
    router.post(prefix + "/newlog").handler(this::newLog);
    router.get(prefix + "/recent-logs").handler(this::recentLogs);
    router.get(prefix + "/onlineusers").handler(this::onlineUsers);
    router.route(prefix + "/ws").handler(this::upgrade);
    router.route(prefix.isEmpty() ? "/" : prefix).handler(this::upgrade);
    context.clients().add(() -> sockets.stream().map(s -> new ConnectedClients.Client(
        Home.USER_STATUS.label(), s.id(), s.transport().address(), List.of(s.room().name())))
        .toList());
    // Rooms opened by another protocol may time presence out: keep our sockets' records alive.
    timer = context.vertx().setPeriodic(TOUCH_MILLIS,
        id -> sockets.forEach(s -> s.room().touchPresence(s.id())));
  }

  @Override
  public List<String> endpoints() {
    return List.of("POST http://{base}" + prefix + "/newlog",
        "GET http://{base}" + prefix + "/recent-logs?site=&after_time=",
        "GET http://{base}" + prefix + "/onlineusers?site=",
        "ws://{base}" + prefix + "/ws?site=");
  }

  @Override
  public void close() {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
    }
    for (StatusSocket s : sockets) {
      s.transport().close(CloseReason.GOING_AWAY, "server shutting down");
    }
  }

  // ---- HTTP ----

  /** The router's own refusals on this surface's paths, as {@code {"error": "..."}}. */
  private ErrorShapes.Answer refusal(int status, String message) {
    return ErrorShapes.Answer.json(StatusCodec.error(new StatusError(status, null,
        status == 413 ? "body larger than " + maxBody + " bytes" : message)));
  }

  private void newLog(RoutingContext rc) {
    try {
      Permit permit = permit(rc);
      String text = rc.body().asString();
      if (text == null || text.isBlank()) {
        throw new StatusError(null, "a JSON body is required");
      }
      JsonNode root;
      try {
        root = StatusCodec.wellFormed(ctx.json().readTree(text));
      } catch (JsonProcessingException e) {
        throw new StatusError(null, "the body is not JSON: " + e.getOriginalMessage());
      }
      StatusMessage m = StatusCodec.newLog(root, ctx.engine().clock().millis());
      access.check(permit, m.site(), Action.WRITE);
      access.post(ClientAddress.clientOf(permit, ctx.addresses().of(rc.request()).address()));
      room(m.site()).publish(m.timeMillis(), StatusCodec.body(m), (stored, failure) -> {
        if (failure != null) {
          error(rc, new StatusError(503, null, "could not store the message: " + failure.getMessage()));
        } else {
          rc.response().putHeader("Content-Type", "text/plain; charset=utf-8")
              .end("Successfully added new log message.");
        }
      });
    } catch (StatusError e) {
      error(rc, e);
    }
  }

  private void recentLogs(RoutingContext rc) {
    try {
      String site = StatusCodec.site(rc.queryParams().get("site"), "site");
      access.check(permit(rc), site, Action.READ);
      BigDecimal after = StatusCodec.afterTime(rc.queryParams().get("after_time"));
      RoomHandle room = ctx.engine().room(StatusCodec.ROOM_PREFIX + site);
      if (room == null) {
        json(rc, 200, "[]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return;
      }
      room.readStream(StatusCodec.fromMillis(after), Long.MAX_VALUE, (list, failure) -> {
        if (failure != null) {
          error(rc, new StatusError(503, null, "could not read messages: " + failure.getMessage()));
        } else {
          json(rc, 200, StatusCodec.recent(site, list, after));
        }
      });
    } catch (StatusError e) {
      error(rc, e);
    }
  }

  private void onlineUsers(RoutingContext rc) {
    try {
      String site = StatusCodec.site(rc.queryParams().get("site"), "site");
      access.check(permit(rc), site, Action.READ);
      RoomHandle room = ctx.engine().room(StatusCodec.ROOM_PREFIX + site);
      if (room == null) {
        json(rc, 200, StatusCodec.online(List.of()));
        return;
      }
      room.presence((here, failure) -> {
        if (failure != null) {
          error(rc, new StatusError(503, null, "could not list connections: " + failure.getMessage()));
        } else {
          json(rc, 200, StatusCodec.online(new ArrayList<>(here.keySet())));
        }
      });
    } catch (StatusError e) {
      error(rc, e);
    }
  }

  /** The permit of the request's bearer token (open: everyone's); else a 401 is thrown. */
  private Permit permit(RoutingContext rc) {
    try {
      return access.permit(Gate.bearer(rc.request().getHeader("Authorization")));
    } catch (InvalidToken e) {
      throw new StatusError(401, null, e.getMessage());
    }
  }

  private RoomHandle room(String site) {
    return ctx.engine().open(StatusCodec.ROOM_PREFIX + site, config);
  }

  private static void json(RoutingContext rc, int status, byte[] body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(io.vertx.core.buffer.Buffer.buffer(body));
  }

  private static void error(RoutingContext rc, StatusError e) {
    if (!rc.response().ended()) {
      if (e.status() == 401) {
        rc.response().putHeader("WWW-Authenticate", "Bearer");
      }
      json(rc, e.status(), StatusCodec.error(e));
    }
  }

  // ---- WebSocket ----

  /**
   * A subscriber's upgrade: its page's origin, its site, and (closed surface) its token and
   * grant are checked before it becomes a WebSocket.
   */
  private void upgrade(RoutingContext rc) {
    if (!WebSocketRoute.isUpgrade(rc)) {
      if (rc.request().path().endsWith("/ws")) {
        error(rc, new StatusError(400, null, "this is the status-message WebSocket: connect with ?site="));
      } else {
        rc.next();
      }
      return;
    }
    if (!WebSocketRoute.admitted(rc, origins)) {
      return;
    }
    String site;
    Permit permit;
    try {
      site = StatusCodec.site(rc.queryParams().get("site"), "site");
      permit = access.permit(rc.queryParams().get("token"));
      access.check(permit, site, Action.READ);
    } catch (StatusError e) {
      error(rc, e);
      return;
    }
    RoomHandle room = room(site);
    WebSocketRoute.upgrade(rc, origins, (ws, transport) -> accept(ws, transport, room, site,
        permit));
  }

  private void accept(ServerWebSocket ws, HttpConnection transport, RoomHandle room, String site,
      Permit permit) {
    byte[] b = new byte[9];
    RANDOM.nextBytes(b);
    String id = "ws-" + HexFormat.of().formatHex(b);
    Connection connection = new Connection(ws, transport, ctx.addresses().of(ws), ctx.limits());
    StatusSocket socket = new StatusSocket(id, room, connection, ctx.json(), maxBody,
        ctx.engine().clock(), this::publish, permit, access.allowance());
    sockets.add(socket);
    connection.onDrop(socket::onClose);
    connection.expireAfter(ctx.vertx(), access.millisLeft(permit));
    ws.textMessageHandler(socket::onText);
    ws.binaryMessageHandler(buf -> socket.send(new StatusError(null, "send JSON text, not binary")));
    ws.exceptionHandler(connection::failed);
    ctx.engine().listener().connectionOpened(Home.USER_STATUS.label());
    ws.closeHandler(v -> {
      sockets.remove(socket);
      socket.onClose();
      ctx.engine().listener().connectionClosed(Home.USER_STATUS.label(), connection.closeReason());
    });
    String started = Instant.now().toString();
    room.join(socket, null, (joined, failure) -> {
      if (failure != null) {
        connection.close(CloseReason.SERVER_ERROR, "could not join the site");
      } else if (!connection.isClosed()) {
        room.setPresence(id, StatusCodec.presence(id, site, started));
      }
    });
  }

  /** A {@code newlog} sent over a WebSocket; only failures are answered. */
  private void publish(StatusMessage m, StatusSocket from) {
    access.check(from.permit(), m.site(), Action.WRITE);
    access.post(from.posts(), from.transport());
    room(m.site()).publish(m.timeMillis(), StatusCodec.body(m), (stored, failure) -> {
      if (failure != null) {
        from.send(new StatusError(503, null, "could not store the message: " + failure.getMessage()));
      }
    });
  }
}
