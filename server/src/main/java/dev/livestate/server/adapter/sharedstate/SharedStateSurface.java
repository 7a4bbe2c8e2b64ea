package dev.livestate.server.adapter.sharedstate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.access.Home;
import dev.livestate.access.Permit;
import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.server.auth.InvalidToken;
import dev.livestate.server.auth.SurfaceAccess;
import dev.livestate.server.http.ClientGone;
import dev.livestate.server.http.OpenConnections;
import dev.livestate.server.http.RemoteClient;
import dev.livestate.server.http.WebSocketRoute;
import dev.livestate.server.store.StoreFactory;
import dev.livestate.store.Store;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shared-state protocol (seed 002) on one WebSocket path. */
public final class SharedStateSurface implements Surface {
  private static final Logger LOG = LoggerFactory.getLogger(SharedStateSurface.class);
  private final OpenConnections open = new OpenConnections(Home.SHARED_STATE);
  private final SharedStateConfig config;
  private final Services services;

  @Override
  public String name() {
    return "sharedstate";
  }

  /** Opens the services' stores (blocking: it may connect to databases). */
  public SharedStateSurface(SharedStateConfig config, StoreFactory stores) throws IOException {
    this.config = config;
    this.services = Services.load(config.servicesFile(), stores, new ObjectMapper());
  }

  @Override
  public Map<String, Store> stores() {
    return services.stores();
  }

  @Override
  public void mount(ServerContext ctx) {
    ctx.clients().add(open::clients);
    SharedStateCodec codec = new SharedStateCodec(ctx.json(), name -> services.get(name) != null,
        config.maxMessage());
    SharedStateDoor door = new SharedStateDoor(ctx.engine(), codec, services,
        ctx.limits().maxRoomsPerConnection(),
        new SurfaceAccess(Home.SHARED_STATE, config.access(), ctx.gate()),
        ctx.quotas().changesPerSecond());
    ctx.router().route(config.path()).handler(rc -> upgrade(ctx, rc, door));
  }

  /**
   * A client's upgrade: its page's origin and (closed surface) its token are checked before it
   * becomes a WebSocket; what the token grants is checked request by request.
   */
  private void upgrade(ServerContext ctx, RoutingContext rc, SharedStateDoor door) {
    if (!WebSocketRoute.isUpgrade(rc)) {
      rc.response().setStatusCode(400).end("this is the livestate shared-state WebSocket endpoint\n");
      return;
    }
    if (!WebSocketRoute.admitted(rc, config.origins())) {
      return;
    }
    Permit permit;
    try {
      permit = door.access().permit(rc.queryParams().get("token"));
    } catch (InvalidToken e) {
      rc.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
          .end(e.getMessage() + "\n");
      return;
    }
    WebSocketRoute.upgrade(rc, config.origins(),
        (ws, transport) -> accept(ctx, ws, transport, door, permit));
  }

  private void accept(ServerContext ctx, ServerWebSocket ws, HttpConnection transport,
      SharedStateDoor door, Permit permit) {
    RemoteClient client = ctx.addresses().of(ws);
    open.accept(ws, transport, client, ctx.limits(), ctx.engine().listener(),
        connection -> new SharedStateSession(door,
        connection, permit, ctx.vertx()), e -> {
          if (!ClientGone.is(e)) {
            LOG.info("sharedstate: {}: {}", client, e.toString());
          }
        });
  }

  @Override
  public List<String> endpoints() {
    return List.of("ws://{base}" + config.path() + " (services " + services.names()
        + ")");
  }

  @Override
  public void close() {
    open.closeAll();
  }
}
