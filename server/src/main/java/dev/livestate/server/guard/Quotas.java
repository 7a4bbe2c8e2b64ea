package dev.livestate.server.guard;

import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import java.util.List;

/**
 * The abuse limits, read once at start. A rate of 0 limits nothing.
 *
 * @param changesPerSecond changes one connection (or HTTP client) may submit per second (its
 *     burst: twice that)
 * @param joinsPerSecond rooms one connection may join per second (its burst: twice that)
 * @param roomCreationsPerMinute rooms one client may create per minute (its burst: that many);
 *     a client is a token's subject, or the remote address where there is no token
 * @param maxRooms rooms the server holds at most; creating more is refused
 * @param maxConnectionsPerAddress connections open at once from one remote address (0: any)
 */
public record Quotas(double changesPerSecond, double joinsPerSecond,
    double roomCreationsPerMinute, int maxRooms, int maxConnectionsPerAddress) {
  public static final Setting<Integer> CHANGES_PER_SECOND =
      Setting.integer("limits.changes-per-second", 1000,
          "Changes one connection may submit per second, in bursts of up to twice that, on every"
              + " surface (an HTTP client, by its token's subject or else its address, counts as"
              + " one connection); past it a change is refused in the surface's own shape"
              + " (rate_limited, 429), the connection stays, and a native, shared-state or"
              + " status-message WebSocket is not read until the rate allows it (0: no limit)");
  public static final Setting<Integer> JOINS_PER_SECOND =
      Setting.integer("limits.joins-per-second", 100,
          "Rooms one connection may join per second, in bursts of up to twice that (0: no limit)");
  public static final Setting<Integer> ROOM_CREATIONS_PER_MINUTE =
      Setting.integer("limits.room-creations-per-minute", 60,
          "Rooms one client (a token's subject, else its address) may create per minute, in"
              + " bursts of as many (0: no limit)");
  public static final Setting<Integer> MAX_ROOMS =
      Setting.integer("limits.max-rooms", 100_000,
          "Rooms the server holds at most; creating more is refused (0: no limit)");
  public static final Setting<Integer> MAX_CONNECTIONS_PER_ADDRESS =
      Setting.integer("limits.max-connections-per-address", 1000,
          "TCP connections one remote address (an IPv6 /64) may hold open at once, whatever they"
              + " carry; a connection past it gets 429 to its first request and is closed. Behind"
              + " a proxy listed in net.trusted-proxies, a connection counts for the client whose"
              + " request it carries; behind any other, every client has the proxy's address"
              + " (0: no limit)");

  public static List<Setting<?>> settings() {
    return List.of(CHANGES_PER_SECOND, JOINS_PER_SECOND, ROOM_CREATIONS_PER_MINUTE, MAX_ROOMS,
        MAX_CONNECTIONS_PER_ADDRESS);
  }

  public static Quotas from(Settings s) {
    return new Quotas(s.get(CHANGES_PER_SECOND), s.get(JOINS_PER_SECOND),
        s.get(ROOM_CREATIONS_PER_MINUTE), s.get(MAX_ROOMS), s.get(MAX_CONNECTIONS_PER_ADDRESS));
  }

  /** No limits at all (tests of other things, benchmarks). */
  public static final Quotas NONE = new Quotas(0, 0, 0, 0, 0);
}
