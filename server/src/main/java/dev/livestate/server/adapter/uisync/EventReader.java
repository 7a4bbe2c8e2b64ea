package dev.livestate.server.adapter.uisync;

import io.socket.engineio.server.Emitter;
import io.socket.engineio.server.EngineIoSocket;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stands where engine.io-server hands a client's messages to socket.io-server's decoder, and
 * reads each event there itself ({@link UiSyncCodec#readEvent}) once the client has joined the
 * main namespace. The decoder gets what the codec leaves: connects and disconnects, acks, binary
 * packets, events with an ack id and anything the codec does not read. Each event is parsed
 * once this way; the decoder would parse it into org.json, format a log line of the whole
 * packet whether or not it is logged, and the codec would write its payload back to text and
 * read it again. Called on the thread that received the message, as the decoder was, so events
 * keep their order whichever way each one goes.
 */
final class EventReader implements Emitter.Listener {
  private static final String DATA = "data";

  private final List<Emitter.Listener> decoder;
  private final UiSyncCodec codec;
  /** Where the client's events go while it is connected to the main namespace; else null. */
  private volatile Consumer<UiSyncRequest> events;

  private EventReader(List<Emitter.Listener> decoder, UiSyncCodec codec) {
    this.decoder = decoder;
    this.codec = codec;
  }

  /**
   * Puts a reader in front of socket.io-server's decoder on a new Engine.IO connection (which
   * socket.io-server has just set up: it listens to the connection before the surface does).
   */
  static void install(EngineIoSocket connection, UiSyncCodec codec) {
    EventReader reader = new EventReader(connection.listeners(DATA), codec);
    connection.off(DATA);
    connection.on(DATA, reader);
  }

  /** The reader on this connection, or null if none was installed. */
  static EventReader of(EngineIoSocket connection) {
    for (Emitter.Listener l : connection.listeners(DATA)) {
      if (l instanceof EventReader reader) {
        return reader;
      }
    }
    return null;
  }

  /** From now on the client's events go to {@code handler}. */
  void readInto(Consumer<UiSyncRequest> handler) {
    events = handler;
  }

  /** The client left the main namespace: the decoder gets its events again (and drops them). */
  void stop() {
    events = null;
  }

  @Override
  public void call(Object... args) {
    Consumer<UiSyncRequest> handler = events;
    if (handler != null && args.length > 0 && args[0] instanceof String packet) {
      UiSyncRequest request = codec.readEvent(packet);
      if (request != null) {
        handler.accept(request);
        return;
      }
    }
    for (Emitter.Listener l : decoder) {
      l.call(args);
    }
  }
}
