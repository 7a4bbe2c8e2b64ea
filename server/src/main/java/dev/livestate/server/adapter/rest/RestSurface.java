package dev.livestate.server.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livestate.access.Action;
import dev.livestate.access.Home;
import dev.livestate.access.Permit;
import dev.livestate.access.Verdict;
import dev.livestate.engine.Reply;
import dev.livestate.engine.RoomHandle;
import dev.livestate.op.Json;
import dev.livestate.protocol.ErrorCode;
import dev.livestate.protocol.HttpApiCodec;
import dev.livestate.protocol.ProtocolException;
import dev.livestate.room.RoomConfig;
import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.server.auth.Gate;
import dev.livestate.server.auth.InvalidToken;
import dev.livestate.server.guard.ClientAddress;
import dev.livestate.server.http.Cors;
import dev.livestate.server.http.ErrorShapes;
import dev.livestate.server.http.Origins;
import dev.livestate.server.http.PercentEncoding;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The native HTTP API's routes: health, the room list, a room's snapshot, creating and deleting a
 * room, and its stream (publish, read by time). Every route but health checks the caller's
 * permit (its bearer token, or open mode's). What goes over the wire, errors included, is
 * {@link HttpApiCodec}'s.
 */
public final class RestSurface implements Surface {
  private static final String ROOM = "/api/rooms/:room";
  private final long started = System.currentTimeMillis();
  private final Cors cors;
  private ServerContext ctx;
  private HttpApiCodec codec;

  /** @param origins the pages that may use the API (setting {@code native.origins}) */
  public RestSurface(Origins origins) {
    this.cors = Cors.allowing(origins).withMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
        HttpMethod.DELETE, HttpMethod.OPTIONS).withHeaders("Content-Type", "Authorization")
        .refusingWith((rc, reason) -> error(rc, 403, ErrorCode.FORBIDDEN, reason));
  }

  @Override
  public String name() {
    return "http api";
  }

  @Override
  public void mount(ServerContext context) {
    this.ctx = context;
    this.codec = new HttpApiCodec(context.json());
    ErrorShapes.Shape shape = (status, message) ->
        ErrorShapes.Answer.json(HttpApiCodec.error(ErrorCode.ofHttpStatus(status), message));
    context.errorShapes().claimTree("/api", shape);
    context.errorShapes().claimPath("/healthz", shape);
    context.errorShapes().claimTheRest(shape);
    var router = context.router();
    router.route("/api/rooms*").handler(cors);
    router.route("/healthz").handler(cors);
    router.route("/api/rooms/*").handler(this::namedInUtf8);
    router.route("/api/rooms*").handler(BodyHandler.create(false)
        .setBodyLimit(context.limits().maxMessageBytes()));
    router.get("/healthz").handler(this::health);
    router.get("/api/rooms").handler(this::list);
    router.get(ROOM).handler(this::snapshot);
    router.put(ROOM).handler(this::create);
    router.delete(ROOM).handler(this::delete);
    router.post(ROOM + "/stream").handler(this::publish);
    router.get(ROOM + "/stream").handler(this::readStream);
  }

  @Override
  public List<String> endpoints() {
    return List.of("http://{base}/healthz", "http://{base}/api/rooms");
  }

  /**
   * Up, with the rooms clients can have (the server's own records are not counted); 503 and
   * degraded while a store is failing, so a balancer or an operator sees it.
   */
  private void health(RoutingContext rc) {
    long rooms = ctx.engine().rooms().stream()
        .filter(r -> Home.of(r.name()) != Home.SYSTEM).count();
    boolean failing = ctx.engine().storeFailing();
    send(rc, failing ? 503 : 200, HttpApiCodec.health((int) rooms,
        (System.currentTimeMillis() - started) / 1000, failing, ctx.node()));
  }

  private void list(RoutingContext rc) {
    Permit permit = permit(rc);
    if (permit == null) {
      return;
    }
    send(rc, 200, HttpApiCodec.rooms(ctx.engine().rooms().stream()
        .filter(r -> permit.check(Home.NATIVE, r.name(), Action.READ) instanceof Verdict.Allowed)
        .toList()));
  }

  private void snapshot(RoutingContext rc) {
    room(rc, Action.READ,
        room -> room.snapshot(replyOn(rc, 200, s -> HttpApiCodec.snapshot(room.name(), s))));
  }

  /** A room name that is not UTF-8 would be decoded to U+FFFD and merge with others: refused. */
  private void namedInUtf8(RoutingContext rc) {
    if (PercentEncoding.decodesToUtf8(rc.request().path())) {
      rc.next();
    } else {
      error(rc, 400, ErrorCode.BAD_REQUEST, "the room name is not percent-encoded UTF-8");
    }
  }

  private void create(RoutingContext rc) {
    String name = rc.pathParam("room");
    Permit permit = permitted(rc, name, Action.CREATE);
    if (permit == null) {
      return;
    }
    try {
      JsonNode body = codec.body(rc.body().asString());
      if (ctx.engine().room(name) != null) {
        send(rc, 200, HttpApiCodec.created(name, false));
        return;
      }
      RoomConfig config = codec.roomConfig(body);
      String creator =
          ClientAddress.clientOf(permit, ctx.addresses().of(rc.request()).address());
      String tooMany =
          ctx.creations().take(creator, ctx.engine().rooms().size(), System.nanoTime());
      if (tooMany != null) {
        error(rc, 429, ErrorCode.RATE_LIMITED, tooMany);
        return;
      }
      // 201 only once the creation is committed: a room answered as created must survive
      ctx.engine().open(name, config).whenCommitted(
          replyOn(rc, 201, v -> HttpApiCodec.created(name, true)));
    } catch (ProtocolException e) {
      error(rc, 400, e.error(), e.getMessage());
    } catch (IllegalArgumentException e) {
      error(rc, 400, ErrorCode.BAD_REQUEST, e.getMessage());
    }
  }

  private void delete(RoutingContext rc) {
    room(rc, Action.DELETE, room -> ctx.engine().delete(room.name(),
        replyOn(rc, 200, v -> HttpApiCodec.deleted(room.name()))));
  }

  private void publish(RoutingContext rc) {
    room(rc, Action.WRITE, room -> publish(rc, room));
  }

  private void publish(RoutingContext rc, RoomHandle room) {
    Json body;
    try {
      body = codec.messageBody(rc.body().asString());
    } catch (ProtocolException e) {
      error(rc, 400, e.error(), e.getMessage());
      return;
    }
    Long time = longParam(rc, "time");
    if (time == null && rc.queryParams().contains("time")) {
      return;
    }
    long at = time != null ? time : ctx.engine().clock().millis();
    room.publish(at, body, replyOn(rc, 201, HttpApiCodec::published));
  }

  private void readStream(RoutingContext rc) {
    room(rc, Action.READ, room -> readStream(rc, room));
  }

  private void readStream(RoutingContext rc, RoomHandle room) {
    Long from = rc.queryParams().contains("from") ? longParam(rc, "from") : Long.valueOf(0);
    Long to = rc.queryParams().contains("to") ? longParam(rc, "to") : Long.valueOf(Long.MAX_VALUE);
    if (from == null || to == null) {
      return;
    }
    room.readStream(from, to, replyOn(rc, 200, list -> HttpApiCodec.messages(room.name(), list)));
  }

  /**
   * The caller's permit from its bearer token (open mode: none needed), or null once answered
   * 401.
   */
  private Permit permit(RoutingContext rc) {
    try {
      return ctx.gate().permit(Gate.bearer(rc.request().getHeader("Authorization")));
    } catch (InvalidToken e) {
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      error(rc, 401, ErrorCode.UNAUTHORIZED, e.getMessage());
      return null;
    }
  }

  /** The caller's permit if it allows {@code action} on {@code room}; else null, answered. */
  private Permit permitted(RoutingContext rc, String room, Action action) {
    Permit permit = permit(rc);
    if (permit == null) {
      return null;
    }
    if (permit.check(Home.NATIVE, room, action) instanceof Verdict.Refused r) {
      error(rc, 403, ErrorCode.FORBIDDEN, r.reason());
      return null;
    }
    return permit;
  }

  /**
   * Hands {@code then} the path's room if the caller may do {@code action} with it; else
   * answers. A room this node does not know may have been made on another node since it
   * started: the shared store is asked for it (decision 026; on one node it answers at once).
   */
  private void room(RoutingContext rc, Action action, Consumer<RoomHandle> then) {
    String name = rc.pathParam("room");
    if (permitted(rc, name, action) == null) {
      return;
    }
    RoomHandle known = ctx.engine().room(name);
    if (known != null) {
      then.accept(known);
      return;
    }
    ctx.engine().find(name, (room, failure) -> {
      if (failure != null) {
        error(rc, 503, ErrorCode.ROOM_FAILED, String.valueOf(failure.getMessage()));
      } else if (room == null) {
        error(rc, 404, ErrorCode.UNKNOWN_ROOM, "no room " + name);
      } else {
        then.accept(room);
      }
    });
  }

  private Long longParam(RoutingContext rc, String name) {
    String v = rc.queryParams().get(name);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      error(rc, 400, ErrorCode.BAD_REQUEST, "'" + name + "' must be an integer (epoch millis)");
      return null;
    }
  }

  /** A reply that answers {@code status} with the encoded value, or 503 room_failed. */
  private <T> Reply<T> replyOn(RoutingContext rc, int status, Function<T, String> encode) {
    return (value, failure) -> {
      if (failure != null) {
        error(rc, 503, ErrorCode.ROOM_FAILED, String.valueOf(failure.getMessage()));
      } else {
        send(rc, status, encode.apply(value));
      }
    };
  }

  private void send(RoutingContext rc, int status, String body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(body);
  }

  private void error(RoutingContext rc, int status, ErrorCode code, String message) {
    send(rc, status, HttpApiCodec.error(code, message));
  }
}
