package dev.livestate.server.adapter.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.engine.RoomHandle;
import dev.livestate.engine.Reply;
import dev.livestate.op.Json;
import dev.livestate.room.RoomConfig;
import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.protocol.RequestCodec;
import dev.livestate.protocol.ErrorCode;
import dev.livestate.protocol.ProtocolException;
import dev.livestate.stream.StreamMessage;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import dev.livestate.server.http.Cors;
import java.util.List;
import java.util.Map;

/**
 * The native HTTP API: health, the room list, a room's snapshot, creating a room, and its
 * stream (publish, read by time). Errors are {@code {"error":{"code","message"}}} with the
 * native protocol's codes.
 */
public final class RestSurface implements Surface {
  private static final String ROOM = "/api/rooms/:room";
  private final long started = System.currentTimeMillis();
  private final Cors cors;
  private ServerContext ctx;

  /** @param cors what browsers from other origins may do (setting {@code cors.origins}) */
  public RestSurface(Cors cors) {
    this.cors = cors.withMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
        HttpMethod.DELETE, HttpMethod.OPTIONS);
  }

  @Override
  public String name() {
    return "http api";
  }

  @Override
  public void mount(ServerContext context) {
    this.ctx = context;
    var router = context.router();
    router.route("/api/rooms*").handler(cors);
    router.route("/healthz").handler(cors);
    router.route("/api/rooms*").handler(BodyHandler.create(false)
        .setBodyLimit(context.limits().maxMessageBytes()));
    router.get("/healthz").handler(this::health);
    router.get("/api/rooms").handler(this::list);
    router.get(ROOM).handler(this::snapshot);
    router.put(ROOM).handler(this::create);
    router.post(ROOM + "/stream").handler(this::publish);
    router.get(ROOM + "/stream").handler(this::readStream);
  }

  @Override
  public List<String> endpoints() {
    return List.of("http://{base}/healthz", "http://{base}/api/rooms");
  }

  private void health(RoutingContext rc) {
    ObjectNode body = ctx.json().createObjectNode()
        .put("status", "ok")
        .put("rooms", ctx.engine().rooms().size())
        .put("uptimeSeconds", (System.currentTimeMillis() - started) / 1000);
    send(rc, 200, body);
  }

  private void list(RoutingContext rc) {
    ArrayNode rooms = ctx.json().createArrayNode();
    for (RoomHandle r : ctx.engine().rooms()) {
      rooms.addObject()
          .put("name", r.name())
          .put("epoch", r.head().epoch())
          .put("seq", r.head().seq())
          .put("policy", r.config().policy().wireName())
          .put("durable", r.config().durable())
          .put("leader", r.leader())
          .put("subscribers", r.subscriberCount());
    }
    send(rc, 200, ctx.json().createObjectNode().set("rooms", rooms));
  }

  private void snapshot(RoutingContext rc) {
    RoomHandle room = room(rc);
    if (room == null) {
      return;
    }
    room.snapshot(replyOn(rc, s -> {
      ObjectNode body = ctx.json().createObjectNode()
          .put("room", room.name())
          .put("epoch", s.head().epoch())
          .put("seq", s.head().seq());
      body.set("state", values(s.values()));
      return body;
    }));
  }

  private void create(RoutingContext rc) {
    String name = rc.pathParam("room");
    JsonNode body = body(rc, true);
    if (body == null) {
      return;
    }
    if (ctx.engine().room(name) != null) {
      send(rc, 200, ctx.json().createObjectNode().put("room", name).put("created", false));
      return;
    }
    RoomConfig config;
    try {
      config = body.isMissingNode() || body.isNull() ? RoomConfig.DEFAULT : RequestCodec.config(body);
      ctx.engine().open(name, config);
    } catch (ProtocolException e) {
      error(rc, 400, e.error(), e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      error(rc, 400, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    send(rc, 201, ctx.json().createObjectNode().put("room", name).put("created", true));
  }

  private void publish(RoutingContext rc) {
    RoomHandle room = room(rc);
    JsonNode body = room == null ? null : body(rc, false);
    if (body == null) {
      return;
    }
    Long time = longParam(rc, "time");
    if (time == null && rc.queryParams().contains("time")) {
      return;
    }
    long at = time != null ? time : ctx.engine().clock().millis();
    room.publish(at, new Json(body.toString()), replyOn(rc, this::message, 201));
  }

  private void readStream(RoutingContext rc) {
    RoomHandle room = room(rc);
    if (room == null) {
      return;
    }
    Long from = rc.queryParams().contains("from") ? longParam(rc, "from") : Long.valueOf(0);
    Long to = rc.queryParams().contains("to") ? longParam(rc, "to") : Long.valueOf(Long.MAX_VALUE);
    if (from == null || to == null) {
      return;
    }
    room.readStream(from, to, replyOn(rc, list -> {
      ArrayNode messages = ctx.json().createArrayNode();
      list.forEach(m -> messages.add(message(m)));
      return ctx.json().createObjectNode().put("room", room.name()).set("messages", messages);
    }));
  }

  private ObjectNode message(StreamMessage m) {
    ObjectNode n = ctx.json().createObjectNode().put("id", m.id()).put("time", m.time());
    n.set("body", parse(m.body()));
    return n;
  }

  private ObjectNode values(Map<String, Json> values) {
    ObjectNode state = ctx.json().createObjectNode();
    values.forEach((k, v) -> state.set(k, parse(v)));
    return state;
  }

  private JsonNode parse(Json value) {
    try {
      return ctx.json().readTree(value.text());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored value is not JSON", e);
    }
  }

  private RoomHandle room(RoutingContext rc) {
    RoomHandle room = ctx.engine().room(rc.pathParam("room"));
    if (room == null) {
      error(rc, 404, ErrorCode.UNKNOWN_ROOM, "no room " + rc.pathParam("room"));
    }
    return room;
  }

  /** The request's JSON body, or null after answering 400; an empty body is a missing node. */
  private JsonNode body(RoutingContext rc, boolean optional) {
    String text = rc.body().asString();
    if (text == null || text.isBlank()) {
      if (optional) {
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      }
      error(rc, 400, ErrorCode.BAD_REQUEST, "a JSON body is required");
      return null;
    }
    try {
      return ctx.json().readTree(text);
    } catch (JsonProcessingException e) {
      error(rc, 400, ErrorCode.INVALID_JSON, e.getOriginalMessage());
      return null;
    }
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

  private <T> Reply<T> replyOn(RoutingContext rc, java.util.function.Function<T, JsonNode> render) {
    return replyOn(rc, render, 200);
  }

  private <T> Reply<T> replyOn(RoutingContext rc, java.util.function.Function<T, JsonNode> render, int status) {
    return (value, failure) -> {
      if (failure != null) {
        error(rc, 503, ErrorCode.ROOM_FAILED, String.valueOf(failure.getMessage()));
      } else {
        send(rc, status, render.apply(value));
      }
    };
  }

  private void send(RoutingContext rc, int status, JsonNode body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(body.toString());
  }

  private void error(RoutingContext rc, int status, ErrorCode code, String message) {
    ObjectNode err = ctx.json().createObjectNode().put("code", code.code()).put("message", message);
    send(rc, status, ctx.json().createObjectNode().set("error", err));
  }
}
