package dev.livestate.server.adapter.nativews;

import dev.livestate.server.ServerContext;
import dev.livestate.server.Surface;
import dev.livestate.server.config.ServerSettings;
import dev.livestate.server.http.OpenConnections;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;

/** The native protocol: JSON over one WebSocket multiplexing many rooms (docs/protocol.md). */
public final class NativeSurface implements Surface {
  private final OpenConnections open = new OpenConnections();

  @Override
  public String name() {
    return "native";
  }

  @Override
  public void mount(ServerContext ctx) {
    String path = ctx.settings().get(ServerSettings.NATIVE_PATH);
    String token = ctx.settings().get(ServerSettings.NATIVE_TOKEN);
    NativeCodec codec = new NativeCodec(ctx.json());
    ctx.router().route(path).handler(rc -> {
      if (!"websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
        rc.response().setStatusCode(400).end("this is the livestate WebSocket endpoint\n");
        return;
      }
      var transport = rc.request().connection();
      rc.request().toWebSocket().onSuccess(ws -> accept(ctx, ws, transport, codec, token));
    });
  }

  private void accept(ServerContext ctx, ServerWebSocket ws, HttpConnection transport,
      NativeCodec codec, String token) {
    open.accept(ws, transport, ctx.limits(), connection -> new NativeSession(ctx.engine(),
        connection, codec, token, ctx.limits().maxRoomsPerConnection()), null);
  }

  @Override
  public List<String> endpoints(ServerContext ctx) {
    return List.of("ws://{base}" + ctx.settings().get(ServerSettings.NATIVE_PATH));
  }

  @Override
  public void close() {
    open.closeAll();
  }
}
