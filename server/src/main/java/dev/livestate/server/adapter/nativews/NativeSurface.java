package dev.livestate.server.adapter.nativews;

import dev.livestate.access.Home;
import dev.livestate.protocol.RequestCodec;
import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.server.auth.ClientIds;
import dev.livestate.server.http.OpenConnections;
import dev.livestate.server.http.WebSocketRoute;
import java.time.Duration;
import java.util.List;

/** The native protocol: JSON over one WebSocket multiplexing many rooms (docs/protocol.md). */
public final class NativeSurface implements Surface {
  private final NativeConfig config;
  private final Duration clientIdTtl;
  private final OpenConnections open = new OpenConnections(Home.NATIVE);
  private ServerContext ctx;
  private long sweeper = -1;

  /** @param clientIdTtl how long an open-mode client id stays held unused */
  public NativeSurface(NativeConfig config, Duration clientIdTtl) {
    this.config = config;
    this.clientIdTtl = clientIdTtl;
  }

  @Override
  public String name() {
    return "native";
  }

  @Override
  public void mount(ServerContext context) {
    this.ctx = context;
    ClientIds clientIds = null;
    if (!context.gate().tokens()) {
      clientIds = ClientIds.open(context.engine(), context.json(), clientIdTtl);
      ClientIds held = clientIds;
      sweeper = context.vertx().setPeriodic(3_600_000, t -> held.sweep());
    }
    NativeDoor door = new NativeDoor(context.vertx(), context.engine(),
        new RequestCodec(context.json()), context.gate(), clientIds, context.quotas(),
        context.creations(), context.limits().maxRoomsPerConnection());
    context.clients().add(open::clients);
    context.router().route(config.path()).handler(WebSocketRoute.endpoint("livestate",
        config.origins(), (ws, transport) -> open.accept(ws, transport,
            context.addresses().of(ws), context.limits(), context.engine().listener(),
            connection -> new NativeSession(door, connection), null)));
  }

  @Override
  public List<String> endpoints() {
    return List.of("ws://{base}" + config.path());
  }

  @Override
  public void close() {
    if (sweeper >= 0) {
      ctx.vertx().cancelTimer(sweeper);
    }
    open.closeAll();
  }
}
