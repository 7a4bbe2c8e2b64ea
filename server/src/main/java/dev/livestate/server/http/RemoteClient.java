package dev.livestate.server.http;

/**
 * Who is at the other end of a request or WebSocket, as {@link ClientAddresses} decided it.
 *
 * @param address the client's IP address: what the per-address limits count and what a room
 *     created without a token is credited to
 * @param peer the TCP peer ({@code host:port}): the client itself, or the trusted proxy that
 *     forwarded it
 * @param forwarded whether {@code address} was taken from a trusted proxy's header
 */
public record RemoteClient(String address, String peer, boolean forwarded) {
  /** For logs: the client's address, and the proxy it came through. */
  @Override
  public String toString() {
    return forwarded ? address + " via " + peer : peer;
  }
}
