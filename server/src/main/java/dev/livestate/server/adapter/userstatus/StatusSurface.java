package dev.livestate.server.adapter.userstatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.engine.RoomHandle;
import dev.livestate.room.RoomConfig;
import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.server.config.ServerSettings;
import dev.livestate.server.config.Setting;
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
  public static final Setting<String> PATH =
      Setting.string("userstatus.path", "/logs",
          "Path prefix of the status-message endpoints (newlog, recent-logs, onlineusers, ws)");
  public static final Setting<Duration> TTL =
      Setting.duration("userstatus.ttl", "7d", "How long a status message is kept");
  public static final Setting<Integer> MAX_MESSAGES =
      Setting.integer("userstatus.max-messages", 10_000,
          "Status messages kept per site at most (the oldest go first)");
  public static final Setting<Long> MAX_BODY =
      Setting.bytes("userstatus.max-body", "2m",
          "Largest newlog body (HTTP or WebSocket) accepted; larger is answered 413");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long TOUCH_MILLIS = 15_000;

  private final Set<StatusSocket> sockets = ConcurrentHashMap.newKeySet();
  private ServerContext ctx;
  private RoomConfig config;
  private String prefix;
  private String allowOrigin;
  private long maxBody;
  private long timer = -1;

  @Override
  public String name() {
    return "userstatus";
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(PATH, TTL, MAX_MESSAGES, MAX_BODY);
  }

  @Override
  public void mount(ServerContext context) {
    this.ctx = context;
    this.prefix = normalise(context.settings().get(PATH));
    this.maxBody = context.settings().get(MAX_BODY);
    this.allowOrigin = context.settings().get(ServerSettings.CORS_ORIGINS);
    // Presence never expires by time here: a socket's record goes when the socket closes.
    this.config = RoomConfig.DEFAULT
        .withStream(context.settings().get(TTL), context.settings().get(MAX_MESSAGES))
        .withPresenceTimeout(Duration.ZERO);
    Router router = context.router();
    String all = prefix + "/*";
    router.route(all).handler(this::cors);
    router.route(all).failureHandler(this::failure);
    router.post(prefix + "/newlog").handler(BodyHandler.create(false).setBodyLimit(maxBody));
    router.post(prefix + "/newlog").handler(this::newLog);
    router.get(prefix + "/recent-logs").handler(this::recentLogs);
    router.get(prefix + "/onlineusers").handler(this::onlineUsers);
    router.route(prefix + "/ws").handler(this::upgrade);
    router.route(prefix.isEmpty() ? "/" : prefix).handler(this::upgrade);
    // Rooms opened by another protocol may time presence out: keep our sockets' records alive.
    timer = context.vertx().setPeriodic(TOUCH_MILLIS,
        id -> sockets.forEach(s -> s.room().touchPresence(s.id())));
  }

  private static String normalise(String path) {
    String p = path.trim();
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() || p.startsWith("/") ? p : "/" + p;
  }

  @Override
  public List<String> endpoints(ServerContext context) {
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
      s.transport().close((short) 1001, "server shutting down");
    }
  }

  // ---- HTTP ----

  /** The original answered every request with {@code Access-Control-Allow-Origin: *}. */
  private void cors(RoutingContext rc) {
    HttpServerResponse r = rc.response();
    String origin = rc.request().getHeader("Origin");
    if (allowOrigin.equals("*")) {
      r.putHeader("Access-Control-Allow-Origin", "*");
    } else if (origin != null && List.of(allowOrigin.split("\\s*,\\s*")).contains(origin)) {
      r.putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin");
    }
    if (rc.request().method() == HttpMethod.OPTIONS) {
      String asked = rc.request().getHeader("Access-Control-Request-Headers");
      r.putHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
          .putHeader("Access-Control-Allow-Headers", asked != null ? asked : "Content-Type")
          .putHeader("Access-Control-Max-Age", "86400")
          .setStatusCode(204).end();
      return;
    }
    rc.next();
  }

  private void failure(RoutingContext rc) {
    int status = rc.statusCode() > 0 ? rc.statusCode() : 500;
    String message = status == 413 ? "body larger than " + maxBody + " bytes" : "request failed";
    error(rc, new StatusError(status, null, message));
  }

  private void newLog(RoutingContext rc) {
    try {
      String text = rc.body().asString();
      if (text == null || text.isBlank()) {
        throw new StatusError(null, "a JSON body is required");
      }
      JsonNode root;
      try {
        root = ctx.json().readTree(text);
      } catch (JsonProcessingException e) {
        throw new StatusError(null, "the body is not JSON: " + e.getOriginalMessage());
      }
      StatusMessage m = StatusCodec.newLog(root, ctx.engine().clock().millis());
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

  private RoomHandle room(String site) {
    return ctx.engine().open(StatusCodec.ROOM_PREFIX + site, config);
  }

  private static void json(RoutingContext rc, int status, byte[] body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(io.vertx.core.buffer.Buffer.buffer(body));
  }

  private static void error(RoutingContext rc, StatusError e) {
    if (!rc.response().ended()) {
      json(rc, e.status(), StatusCodec.error(e));
    }
  }

  // ---- WebSocket ----

  private void upgrade(RoutingContext rc) {
    if (!"websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
      if (rc.request().path().endsWith("/ws")) {
        error(rc, new StatusError(400, null, "this is the status-message WebSocket: connect with ?site="));
      } else {
        rc.next();
      }
      return;
    }
    String site;
    try {
      site = StatusCodec.site(rc.queryParams().get("site"), "site");
    } catch (StatusError e) {
      error(rc, e);
      return;
    }
    RoomHandle room = room(site);
    HttpConnection transport = rc.request().connection();
    rc.request().toWebSocket().onSuccess(ws -> accept(ws, transport, room, site));
  }

  private void accept(ServerWebSocket ws, HttpConnection transport, RoomHandle room, String site) {
    byte[] b = new byte[9];
    RANDOM.nextBytes(b);
    String id = "ws-" + HexFormat.of().formatHex(b);
    Connection connection = new Connection(ws, transport, ctx.limits());
    StatusSocket socket = new StatusSocket(id, room, connection, ctx.json(), maxBody,
        ctx.engine().clock(), this::publish);
    sockets.add(socket);
    connection.onDrop(socket::onClose);
    ws.textMessageHandler(socket::onText);
    ws.binaryMessageHandler(buf -> socket.send(new StatusError(null, "send JSON text, not binary")));
    ws.exceptionHandler(connection::failed);
    ws.closeHandler(v -> {
      sockets.remove(socket);
      socket.onClose();
    });
    String started = Instant.now().toString();
    room.join(socket, null, (joined, failure) -> {
      if (failure != null) {
        connection.close((short) 1011, "could not join the site");
      } else if (!connection.isClosed()) {
        room.setPresence(id, StatusCodec.presence(id, site, started));
      }
    });
  }

  /** A {@code newlog} sent over a WebSocket; only failures are answered. */
  private void publish(StatusMessage m, StatusSocket from) {
    room(m.site()).publish(m.timeMillis(), StatusCodec.body(m), (stored, failure) -> {
      if (failure != null) {
        from.send(new StatusError(503, null, "could not store the message: " + failure.getMessage()));
      }
    });
  }
}
