package dev.livestate.engine;

import java.util.Objects;

/**
 * Where a change or request came from. The origin decides where the change goes: a client's own
 * connection is not sent its change back (unless it asks for echoes), a change relayed from a
 * peer node is fanned out to local subscribers but never stored or published again, and the
 * server's own changes go to everyone.
 */
public sealed interface Origin {

  /**
   * One client connection. {@code connection} tells apart two connections of the same client
   * (two browser tabs of one meet location, a reconnect overlapping its old socket); it is unique
   * within one server process.
   */
  record Client(String clientId, long connection) implements Origin {
    public Client {
      Objects.requireNonNull(clientId, "clientId");
    }
  }

  /** Another node of the cluster, which owns the room and already committed the change. */
  record Peer(String node) implements Origin {
    public Peer {
      Objects.requireNonNull(node, "node");
    }
  }

  /** The server itself: upkeep, expiry, an adapter acting on its own. */
  record Local() implements Origin {}

  Local LOCAL = new Local();
}
