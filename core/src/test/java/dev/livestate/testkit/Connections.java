package dev.livestate.testkit;

import dev.livestate.engine.Origin;
import dev.livestate.room.Writer;

/**
 * Connections for tests: each client has one connection, so a change a writer makes is the
 * change of the connection its subscriber stands for, and is not relayed back to it.
 */
public final class Connections {
  private Connections() {}

  public static Origin.Client of(String clientId) {
    return new Origin.Client(clientId, 0);
  }

  public static Origin.Client of(Writer writer) {
    return of(writer.clientId());
  }
}
