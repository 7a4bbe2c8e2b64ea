package dev.livestate.server.adapter.nativews;

import dev.livestate.protocol.RequestCodec;
import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.server.http.OpenConnections;
import dev.livestate.server.http.WebSocketRoute;
import java.util.List;

/** The native protocol: JSON over one WebSocket multiplexing many rooms (docs/protocol.md). */
public final class NativeSurface implements Surface {
  private final NativeConfig config;
  private final OpenConnections open = new OpenConnections();

  public NativeSurface(NativeConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "native";
  }

  @Override
  public void mount(ServerContext ctx) {
    RequestCodec codec = new RequestCodec(ctx.json());
    ctx.router().route(config.path()).handler(WebSocketRoute.endpoint("livestate",
        (ws, transport) -> open.accept(ws, transport, ctx.limits(),
            connection -> new NativeSession(ctx.engine(), connection, codec, config.token(),
                ctx.limits().maxRoomsPerConnection()), null)));
  }

  @Override
  public List<String> endpoints() {
    return List.of("ws://{base}" + config.path());
  }

  @Override
  public void close() {
    open.closeAll();
  }
}
