package dev.livestate.server.adapter.sharedstate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import dev.livestate.server.http.OpenConnections;
import dev.livestate.store.Store;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shared-state protocol (seed 002) on one WebSocket path. */
public final class SharedStateSurface implements Surface {
  private static final Logger LOG = LoggerFactory.getLogger(SharedStateSurface.class);
  public static final Setting<String> PATH =
      Setting.string("sharedstate.path", "/sharedstate",
          "Path of the shared-state WebSocket (clients connect to ws://host:port<path>)");
  public static final Setting<String> CONFIG =
      Setting.string("sharedstate.config", "",
          "Shared-state services file in the original server's format ({\"services\": [...]});"
              + " empty: services items (durable store) and mitems (memory)");
  public static final Setting<Long> MAX_MESSAGE =
      Setting.bytes("sharedstate.max-message", "2m",
          "Largest shared-state request served; larger ones (up to limits.max-message) get"
              + " ok:false");

  private final OpenConnections open = new OpenConnections();
  private Services services;

  @Override
  public String name() {
    return "sharedstate";
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(PATH, CONFIG, MAX_MESSAGE);
  }

  @Override
  public Map<String, Store> stores(Settings settings) throws Exception {
    services = Services.load(settings.get(CONFIG), settings, new ObjectMapper());
    return services.stores();
  }

  @Override
  public void mount(ServerContext ctx) {
    if (services == null) {
      try {
        stores(ctx.settings());
      } catch (Exception e) {
        throw new IllegalStateException("sharedstate services: " + e.getMessage(), e);
      }
    }
    String path = ctx.settings().get(PATH);
    long maxChars = ctx.settings().get(MAX_MESSAGE);
    SharedStateCodec codec =
        new SharedStateCodec(ctx.json(), name -> services.get(name) != null, maxChars);
    ctx.router().route(path).handler(rc -> {
      if (!"websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
        rc.response().setStatusCode(400)
            .end("this is the livestate shared-state WebSocket endpoint\n");
        return;
      }
      HttpConnection transport = rc.request().connection();
      rc.request().toWebSocket().onSuccess(ws -> accept(ctx, ws, transport, codec));
    });
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
  public List<String> endpoints(ServerContext ctx) {
    return List.of("ws://{base}" + ctx.settings().get(PATH) + " (services " + services.names()
        + ")");
  }

  @Override
  public void close() {
    open.closeAll();
  }
}
