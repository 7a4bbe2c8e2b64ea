package dev.livestate.server.adapter.synk;

import dev.livestate.access.Action;
import dev.livestate.access.Home;
import dev.livestate.access.Permit;
import dev.livestate.engine.Engine;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.Reply;
import dev.livestate.op.Json;
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
import io.vertx.core.buffer.Buffer;
import dev.livestate.server.http.PercentEncoding;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Supersynk (seed 004), both forms: {@code POST|GET /synk/{channel}} with {@code {"c","d"}}, and
 * {@code GET /api}, {@code GET /api/channels}, {@code GET|POST /api/channels/{id}} with any object
 * holding {@code client_id}. In memory by design: channels are non-durable rooms, except in a
 * cluster, where a channel must be one room whichever node a client polls: there it is a room
 * of the shared store, decided by one node like any other (its clients' data stays presence).
 */
public final class SynkSurface implements Surface {
  static final String CLIENT_ID = "Client-Id";
  static final String CLIENT_TIME = "Client-Time";
  static final String SERVER_TIME = "Server-Time";
  /** Room attribute holding a client's last Client-Time (private, never relayed). */
  private static final String TIME_KEY = "synk.client-time:";

  private final Set<String> emptyBefore = ConcurrentHashMap.newKeySet();
  private final RoomConfig ephemeral;
  /** Ephemeral rooms on a single node; rooms of the shared store in a cluster. */
  private RoomConfig config;
  private final long maxBody;
  private final Cors cors;
  private final Access accessSetting;
  private SurfaceAccess access;
  private ServerContext ctx;
  private Engine engine;
  private SynkCodec codec;
  private long timer = -1;

  public SynkSurface(SynkConfig config) {
    this.ephemeral = RoomConfig.DEFAULT.withDurable(false).withPresenceTimeout(config.timeout());
    this.maxBody = config.maxBody();
    this.accessSetting = config.access();
    this.cors = Cors.allowing(config.origins())
        .withHeaders("Content-Type", "Authorization", CLIENT_ID, CLIENT_TIME)
        .exposing(SERVER_TIME).refusingWith((rc, reason) -> error(rc, 403, reason));
  }

  @Override
  public String name() {
    return "supersynk";
  }

  @Override
  public void mount(ServerContext context) {
    this.ctx = context;
    this.engine = context.engine();
    this.config = context.node() == null ? ephemeral : ephemeral.withDurable(true);
    this.codec = new SynkCodec(context.json());
    this.access = new SurfaceAccess(Home.SUPERSYNK, accessSetting, context.gate());
    Router router = context.router();
    // Exact paths and /api/channels* only: /api/rooms* and /healthz belong to the HTTP API.
    for (String path : List.of("/synk/*", "/api", "/api/channels", "/api/channels/*")) {
      router.route(path).handler(this::common);
    }
    context.errorShapes().claimTree("/synk", this::refusal);
    context.errorShapes().claimPath("/api", this::refusal);
    context.errorShapes().claimTree("/api/channels", this::refusal);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBody);
    router.post("/synk/:channel").handler(body).handler(rc -> post(rc, SynkCodec.Form.SEED));
    router.get("/synk/:channel").handler(rc -> get(rc, SynkCodec.Form.SEED));
    router.get("/api").handler(this::version);
    router.get("/api/channels").handler(this::channels);
    router.post("/api/channels/:channel").handler(body).handler(rc -> post(rc, SynkCodec.Form.API));
    router.get("/api/channels/:channel").handler(rc -> get(rc, SynkCodec.Form.API));
    timer = context.vertx().setPeriodic(1000, id -> sweep());
  }

  @Override
  public List<String> endpoints() {
    return List.of("POST|GET http://{base}/synk/{channel}", "GET http://{base}/api",
        "GET http://{base}/api/channels", "POST|GET http://{base}/api/channels/{id}");
  }

  @Override
  public void close() {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
    }
  }

  // ---- routes ----

  /**
   * Server-Time on every answer, CORS, and the OPTIONS preflight; a channel name that is not
   * UTF-8 is refused, as the router would decode it to U+FFFD and merge it with others.
   */
  private void common(RoutingContext rc) {
    rc.response().putHeader(SERVER_TIME, Long.toString(engine.clock().millis()));
    if (!PercentEncoding.decodesToUtf8(rc.request().path())) {
      error(rc, 400, "invalid input (the channel name is not percent-encoded UTF-8)");
      return;
    }
    cors.handle(rc);
  }

  /** The router's own refusals on Supersynk paths, as {@code {"error": "..."}}. */
  private ErrorShapes.Answer refusal(int status, String message) {
    String error = status == 413 ? "invalid input (payload larger than " + maxBody + " bytes)"
        : status == 400 ? "invalid input (" + message + ")" : message;
    return ErrorShapes.Answer.json(ctx.json().createObjectNode().put("error", error).toString());
  }

  private void version(RoutingContext rc) {
    String v = SynkSurface.class.getPackage().getImplementationVersion();
    rc.response().putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("supersynk server (livestate " + (v == null ? "dev" : v) + ")");
  }

  /** The channels, those the caller may read. */
  private void channels(RoutingContext rc) {
    Permit permit = permit(rc);
    if (permit == null) {
      return;
    }
    long now = engine.clock().millis();
    StringBuilder sb = new StringBuilder("[");
    for (RoomHandle r : engine.rooms()) {
      if (r.name().startsWith(SynkCodec.ROOM_PREFIX)
          && access.refusal(permit, r.name(), Action.READ, now) == null) {
        if (sb.length() > 1) {
          sb.append(',');
        }
        sb.append(ctx.json().getNodeFactory()
            .textNode(r.name().substring(SynkCodec.ROOM_PREFIX.length())).toString());
      }
    }
    json(rc, 200, sb.append(']').toString());
  }

  private void post(RoutingContext rc, SynkCodec.Form form) {
    String channel = channel(rc);
    Permit permit = channel == null ? null : permitted(rc, channel, Action.WRITE);
    if (permit == null) {
      return;
    }
    if (!ctx.changesByClient().take(
        ClientAddress.clientOf(permit, ctx.addresses().of(rc.request()).address()),
        System.nanoTime(), 1)) {
      error(rc, 429, "too many requests (more than " + (long) ctx.quotas().changesPerSecond()
          + " posts a second: slow down)");
      return;
    }
    SynkCodec.Post post;
    try {
      Buffer body = rc.body().buffer();
      post = codec.decode(form, body == null ? new byte[0] : body.getBytes());
    } catch (SynkCodec.Invalid e) {
      json(rc, 400, codec.refusal(e));
      return;
    }
    RoomHandle room = engine.open(SynkCodec.ROOM_PREFIX + channel, config);
    emptyBefore.remove(room.name());
    if (late(rc, room)) {
      return;
    }
    room.setPresence(post.clientId(), post.record());
    room.presence(answer(rc, post.clientId(), form));
  }

  private void get(RoutingContext rc, SynkCodec.Form form) {
    String channel = channel(rc);
    if (channel == null || permitted(rc, channel, Action.READ) == null) {
      return;
    }
    // in a cluster the channel may have been made on another node: this one learns of it so
    RoomHandle room = ctx.node() == null ? engine.room(SynkCodec.ROOM_PREFIX + channel)
        : engine.open(SynkCodec.ROOM_PREFIX + channel, config);
    if (room == null) {
      json(rc, 200, "[]");
      return;
    }
    if (late(rc, room)) {
      return;
    }
    room.presence(answer(rc, null, form));
  }

  private Reply<java.util.Map<String, Json>> answer(RoutingContext rc, String exclude,
      SynkCodec.Form form) {
    return (clients, failure) -> {
      if (failure != null) {
        error(rc, 503, "channel unavailable: " + failure.getMessage());
      } else {
        json(rc, 200, codec.list(clients, exclude, form));
      }
    };
  }

  private String channel(RoutingContext rc) {
    String channel = rc.pathParam("channel");
    if (channel == null || channel.isEmpty() || channel.length() > SynkCodec.MAX_ID_LENGTH) {
      error(rc, 400, "invalid input (channel id must be 1 to " + SynkCodec.MAX_ID_LENGTH
          + " characters)");
      return null;
    }
    return channel;
  }

  /** The permit of the request's bearer token (open: everyone's); else null, answered 401. */
  private Permit permit(RoutingContext rc) {
    try {
      return access.permit(Gate.bearer(rc.request().getHeader("Authorization")));
    } catch (InvalidToken e) {
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      error(rc, 401, "unauthorized (" + e.getMessage() + ")");
      return null;
    }
  }

  /** The caller's permit if it may do {@code action} with the channel; else null, answered. */
  private Permit permitted(RoutingContext rc, String channel, Action action) {
    Permit permit = permit(rc);
    if (permit == null) {
      return null;
    }
    String refusal = access.refusal(permit, SynkCodec.ROOM_PREFIX + channel, action,
        engine.clock().millis());
    if (refusal != null) {
      error(rc, 403, "forbidden (" + refusal + ")");
      return null;
    }
    return permit;
  }

  /**
   * The late-request rule: a request carrying {@code Client-Id} and {@code Client-Time} older
   * than the latest time that client sent to this channel is answered 204 and not applied.
   * Returns true when it answered.
   */
  private boolean late(RoutingContext rc, RoomHandle room) {
    String id = rc.request().getHeader(CLIENT_ID);
    String t = rc.request().getHeader(CLIENT_TIME);
    if (id == null || t == null || id.isEmpty()) {
      return false;
    }
    BigDecimal time;
    try {
      time = new BigDecimal(t.trim());
    } catch (NumberFormatException e) {
      error(rc, 400, "invalid input (Client-Time is not a number)");
      return true;
    }
    String key = TIME_KEY + id;
    Json last = room.attribute(key);
    if (last != null) {
      int c = new BigDecimal(last.text()).compareTo(time);
      if (c > 0) {
        rc.response().setStatusCode(204).end();
        return true;
      }
      if (c == 0) {
        return false;
      }
    }
    room.putAttribute(key, new Json(time.toPlainString()), Reply.ignore());
    return false;
  }

  /**
   * Removes channels that were empty at two sweeps in a row (clients expire on engine ticks).
   * In a cluster only the channel's owner sweeps it: it holds the channel's presence for every
   * node, and one node deleting it is enough (decision 028).
   */
  private void sweep() {
    for (RoomHandle room : engine.rooms()) {
      String name = room.name();
      if (!name.startsWith(SynkCodec.ROOM_PREFIX) || !engine.decides(name)) {
        emptyBefore.remove(name);
        continue;
      }
      room.presence((clients, failure) -> {
        if (failure != null || !clients.isEmpty() || room.subscriberCount() > 0) {
          emptyBefore.remove(name);
        } else if (!emptyBefore.add(name) && engine.room(name) == room) {
          emptyBefore.remove(name);
          engine.delete(name, Reply.ignore());
        }
      });
    }
  }

  private static void json(RoutingContext rc, int status, String body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  private void error(RoutingContext rc, int status, String message) {
    if (!rc.response().ended()) {
      json(rc, status, ctx.json().createObjectNode().put("error", message).toString());
    }
  }
}
