package dev.livestate.server.adapter.uisync;

import io.vertx.core.Context;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The frames waiting to be written to the WebSockets of one event loop. A broadcast to many
 * followers is queued from the room's lane and written by one task on each event loop, instead
 * of one cross-thread hand-off per socket.
 */
final class Outbox {
  private record Item(VertxEngineWebSocket socket, byte[] frame) {}

  private final Context context;
  private final ConcurrentLinkedQueue<Item> items = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  Outbox(Context context) {
    this.context = context;
  }

  void add(VertxEngineWebSocket socket, byte[] frame) {
    items.add(new Item(socket, frame));
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> drain());
    }
  }

  private void drain() {
    scheduled.set(false);
    Item item;
    while ((item = items.poll()) != null) {
      item.socket().writeNow(item.frame());
    }
  }
}
