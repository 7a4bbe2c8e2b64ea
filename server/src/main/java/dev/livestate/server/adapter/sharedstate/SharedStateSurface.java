package dev.livestate.server.adapter.sharedstate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.server.http.OpenConnections;
import dev.livestate.server.http.WebSocketRoute;
import dev.livestate.server.store.StoreFactory;
import dev.livestate.store.Store;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shared-state protocol (seed 002) on one WebSocket path. */
public final class SharedStateSurface implements Surface {
  private static final Logger LOG = LoggerFactory.getLogger(SharedStateSurface.class);
  private final OpenConnections open = new OpenConnections();
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
    SharedStateCodec codec = new SharedStateCodec(ctx.json(), name -> services.get(name) != null,
        config.maxMessage());
    ctx.router().route(config.path()).handler(WebSocketRoute.endpoint("livestate shared-state",
        (ws, transport) -> accept(ctx, ws, transport, codec)));
  }

  private void accept(ServerContext ctx, ServerWebSocket ws, HttpConnection transport,
      SharedStateCodec codec) {
    open.accept(ws, transport, ctx.limits(), connection -> new SharedStateSession(ctx.engine(),
        connection, codec, services, ctx.limits().maxRoomsPerConnection()), e -> {
          if (!(e instanceof io.vertx.core.http.HttpClosedException)) {
            LOG.info("sharedstate: {}: {}", ws.remoteAddress(), e.toString());
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
