package dev.livestate.server.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestate.access.Home;
import dev.livestate.engine.Engine;
import dev.livestate.engine.RoomHandle;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.Position;
import dev.livestate.server.auth.AdminOnly;
import dev.livestate.server.http.ConnectedClients;
import dev.livestate.server.metrics.EngineMetrics;
import dev.livestate.sync.CatchUp;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /console}, the page, and the JSON it polls: {@code /console/api/overview} (rooms,
 * connections and who holds them, the last minutes' rates) and {@code /console/api/rooms/{room}} (its state, last
 * ops and presence). Admin-only in token mode; the page passes on the {@code ?token=} it was
 * opened with.
 */
public final class ConsoleRoutes {
  /** The most rooms the overview lists, busiest first. */
  static final int MAX_ROOMS = 200;
  /** The most clients the overview lists. */
  static final int MAX_CLIENTS = 200;
  /** The most ops a room's log shows, newest last. */
  static final int MAX_OPS = 50;

  private final Engine engine;
  private final EngineMetrics metrics;
  private final ConnectedClients clients;
  private final ObjectMapper json;
  private final Rates rates;
  private final String page;

  private ConsoleRoutes(Engine engine, EngineMetrics metrics, ConnectedClients clients,
      ObjectMapper json) {
    this.engine = engine;
    this.metrics = metrics;
    this.clients = clients;
    this.json = json;
    this.rates = new Rates(metrics.activity());
    this.page = pageText();
  }

  /** Mounts the console; its rates are sampled each second on an event loop. */
  public static long mount(Router router, Vertx vertx, AdminOnly admin, Engine engine,
      EngineMetrics metrics, ConnectedClients clients, ObjectMapper json) {
    ConsoleRoutes console = new ConsoleRoutes(engine, metrics, clients, json);
    router.get("/console").handler(admin).handler(console::page);
    router.get("/console/api/overview").handler(admin).handler(console::overview);
    router.get("/console/api/rooms/:room").handler(admin).handler(console::room);
    return vertx.setPeriodic(1000, t -> console.rates.sample(System.currentTimeMillis(),
        engine.rooms().stream().map(RoomHandle::name).toList()));
  }

  private static String pageText() {
    try (InputStream in = ConsoleRoutes.class.getClassLoader()
        .getResourceAsStream("webroot/js/console/index.html")) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  private void page(RoutingContext rc) {
    if (page == null) {
      rc.response().setStatusCode(404).end("the console was not built into this jar");
      return;
    }
    rc.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(page);
  }

  private void overview(RoutingContext rc) {
    ObjectNode o = json.createObjectNode();
    o.put("time", System.currentTimeMillis());
    ObjectNode connections = o.putObject("connections");
    metrics.connections().forEach(connections::put);
    List<RoomHandle> rooms = engine.rooms().stream()
        .filter(r -> Home.of(r.name()) != Home.SYSTEM)
        .sorted(Comparator.comparingDouble((RoomHandle r) -> -rates.opsPerSecond(r.name()))
            .thenComparing(RoomHandle::name))
        .limit(MAX_ROOMS).toList();
    o.put("roomCount", engine.rooms().stream().filter(r -> Home.of(r.name()) != Home.SYSTEM)
        .count());
    ArrayNode list = o.putArray("rooms");
    for (RoomHandle r : rooms) {
      list.addObject().put("name", r.name()).put("surface", Home.of(r.name()).label())
          .put("seq", r.head().seq()).put("subscribers", r.subscriberCount())
          .put("opsPerSecond", rates.opsPerSecond(r.name())).put("leader", r.leader());
    }
    List<ConnectedClients.Client> connected = clients.all();
    o.put("clientCount", connected.size());
    ArrayNode clientList = o.putArray("clients");
    for (ConnectedClients.Client c : connected.subList(0, Math.min(MAX_CLIENTS, connected.size()))) {
      ObjectNode client = clientList.addObject().put("surface", c.surface())
          .put("clientId", c.clientId()).put("address", c.address());
      c.rooms().forEach(client.putArray("rooms")::add);
    }
    ArrayNode series = o.putArray("seconds");
    for (Rates.Second s : rates.seconds()) {
      series.addObject().put("at", s.at()).put("ops", s.ops()).put("deliveries", s.deliveries());
    }
    send(rc, 200, o);
  }

  private void room(RoutingContext rc) {
    RoomHandle room = engine.room(rc.pathParam("room"));
    if (room == null || Home.of(room.name()) == Home.SYSTEM) {
      send(rc, 404, json.createObjectNode().put("error", "no such room"));
      return;
    }
    ObjectNode o = json.createObjectNode().put("name", room.name())
        .put("surface", Home.of(room.name()).label()).put("subscribers", room.subscriberCount())
        .put("leader", room.leader());
    room.snapshot((snapshot, failure) -> {
      if (failure != null) {
        send(rc, 503, json.createObjectNode().put("error", String.valueOf(failure.getMessage())));
        return;
      }
      o.put("epoch", snapshot.head().epoch()).put("seq", snapshot.head().seq());
      values(o.putObject("state"), snapshot.values());
      Position from = new Position(snapshot.head().epoch(),
          Math.max(0, snapshot.head().seq() - MAX_OPS));
      room.catchUp(from, (catchUp, f2) -> {
        ArrayNode ops = o.putArray("ops");
        if (catchUp instanceof CatchUp.Tail tail) {
          tail.ops().forEach(op -> op(ops.addObject(), op));
        }
        room.presence((presence, f3) -> {
          values(o.putObject("presence"), presence == null ? Map.of() : presence);
          send(rc, 200, o);
        });
      });
    });
  }

  private void op(ObjectNode o, Op op) {
    o.put("seq", op.seq()).put("writer", op.writer()).put("time", op.time());
    Change change = op.change();
    values(o.putObject(change instanceof Change.Reset ? "reset" : "set"), change.sets());
    if (!(change instanceof Change.Reset) && !change.deletes().isEmpty()) {
      change.deletes().forEach(o.putArray("delete")::add);
    }
  }

  private void values(ObjectNode into, Map<String, Json> values) {
    values.forEach((key, value) -> {
      try {
        into.set(key, json.readTree(value.text()));
      } catch (JsonProcessingException e) {
        into.put(key, value.text());
      }
    });
  }

  private void send(RoutingContext rc, int status, ObjectNode body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.toString());
  }
}
