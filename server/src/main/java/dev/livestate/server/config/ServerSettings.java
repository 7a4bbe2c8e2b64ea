package dev.livestate.server.config;

import dev.livestate.server.http.TrustedProxies;
import dev.livestate.server.store.Durability;
import dev.livestate.server.store.StoreLocation;
import java.time.Duration;
import java.util.List;

/** The settings of the server itself; each surface adds its own (see {@code Surface#settings}). */
public final class ServerSettings {
  private ServerSettings() {}

  public static final Setting<String> HOST =
      Setting.string("host", "0.0.0.0", "Address to listen on");
  public static final Setting<Integer> PORT =
      Setting.integer("port", 8080, "HTTP port serving every surface (0 picks a free port)");
  public static final Setting<TrustedProxies> TRUSTED_PROXIES =
      new Setting<>("net.trusted-proxies", "",
          "Balancers and reverse proxies whose word on a client's address is believed: a"
              + " comma-separated list of IPv4 and IPv6 addresses and CIDR blocks (10.0.0.0/8,"
              + " fd00::/8). A connection from one of them has its client's address taken from"
              + " X-Forwarded-For or Forwarded: for= (the rightmost entry that is not itself a"
              + " trusted proxy), for every per-address limit and in the logs; list only proxies"
              + " that set one of these headers. Empty: every client has its TCP peer's address",
          TrustedProxies::parse);
  public static final Setting<String> DATA_DIR =
      Setting.string("data-dir", "./data", "Directory of the embedded SQLite store");
  public static final Setting<StoreLocation> STORE =
      new Setting<>("store", "sqlite",
          "Durable store: sqlite (a file in data-dir), memory (nothing survives), or a JDBC URL"
              + " (jdbc:mariadb://..., jdbc:mysql://..., jdbc:postgresql://...)",
          StoreLocation::parse);
  public static final Setting<String> STORE_USER =
      Setting.string("store.user", "", "User for a JDBC store URL");
  public static final Setting<String> STORE_PASSWORD =
      Setting.string("store.password", "", "Password for a JDBC store URL").asSecret();
  public static final Setting<Durability> STORE_SYNC =
      Setting.choice("store.sync", Durability.FULL,
          "SQLite durability: full (fsync each commit: survives power loss) or normal"
              + " (survives a crash of the process)");
  public static final Setting<Duration> PURGE_INTERVAL =
      Setting.duration("store.purge-interval", "60s",
          "How often stream messages past their TTL are deleted from the stores (they are never"
              + " served once expired, whatever this is)");
  public static final Setting<Integer> LANES =
      Setting.integer("lanes", 0,
          "Threads that run room decisions, each room pinned to one (0: one per core)");
  public static final Setting<Integer> EVENT_LOOPS =
      Setting.integer("event-loops", 0,
          "Event loops serving HTTP and WebSocket connections, each connection kept on one and the"
              + " connections shared among them (0: one per core)");
  public static final Setting<String> CORS_ORIGINS =
      Setting.string("cors.origins", "",
          "Deprecated: when given, the origins of the surfaces whose CORS it used to set, where"
              + " their own setting is not given: native.origins, userstatus.origins, synk.origins,"
              + " meet.origins");
  public static final Setting<Long> MAX_MESSAGE =
      Setting.bytes("limits.max-message", "4m",
          "Largest WebSocket message or HTTP body accepted, in bytes (k, m suffixes)");
  public static final Setting<Integer> MAX_JSON_DEPTH =
      Setting.integer("limits.max-json-depth", 64, "Deepest JSON nesting accepted");
  public static final Setting<Long> MAX_QUEUED =
      Setting.bytes("limits.max-queued", "16m",
          "Outbound bytes a connection may have queued before it is dropped as too slow (for a"
              + " UI sync long-polling client: the bytes waiting for its next poll)");
  public static final Setting<Long> MAX_ROOM_HISTORY =
      Setting.bytes("limits.max-room-history", "64m",
          "The most bytes of history (ops kept for catch-up, counted as their keys' and values'"
              + " text) any room keeps, whatever its retainOps or retainBytes; the oldest go"
              + " first, and a client that missed them gets a snapshot");
  public static final Setting<Duration> REQUEST_TIMEOUT =
      Setting.duration("limits.request-timeout", "30s",
          "How long an HTTP client has to send a whole request (head and body), counted from when"
              + " its connection opened or its last response ended; past it the connection is"
              + " closed, so half-sent requests and idle keep-alive connections do not hold"
              + " sockets. Not applied while the server works on a request (a long poll) nor to"
              + " WebSockets, which have their own heartbeats. 0s: no limit");
  public static final Setting<Integer> MAX_ROOMS_PER_CONNECTION =
      Setting.integer("limits.max-rooms-per-connection", 1000,
          "Rooms one native connection may join at once");
  public static final Setting<Boolean> WEBSOCKET_COMPRESSION =
      Setting.bool("websocket.compression", false,
          "Negotiate WebSocket per-message compression (permessage-deflate) with clients that"
              + " offer it, on every WebSocket surface");
  public static final Setting<Duration> WRITE_DELAY =
      Setting.duration("websocket.write-delay", "16ms",
          "The longest a broadcast may wait so that broadcasts to the same client leave in one"
              + " write: a client gets at most one batched write per this interval, one that has"
              + " had nothing for as long gets the next at once, and replies never wait. Each write"
              + " costs a system call and a TCP segment, most of a busy fan-out's CPU. 0 writes"
              + " every broadcast at once. UI sync has its own: uisync.write-delay");
  public static final Setting<Integer> MAX_FREE_HEAP =
      Setting.integer("memory.max-free-heap", 10,
          "Percent of the Java heap left free after a collection above which the JVM hands memory"
              + " back to the OS (its MaxHeapFreeRatio, whose default of 70 keeps the peak of a"
              + " connection burst). 0 keeps the JVM's setting; an explicit -XX flag always wins");
  public static final Setting<Duration> IDLE_COLLECTION =
      Setting.duration("memory.idle-collection", "1s",
          "Once the server has allocated almost nothing (under 1 MB/s) for this long and its heap"
              + " has room to give back, the JVM (G1) runs a concurrent collection that hands back"
              + " the heap above memory.max-free-heap: a server gone quiet after a burst of"
              + " connections does not keep what the burst grew. 0 never does; an explicit"
              + " -XX:G1PeriodicGCInterval replaces it");
  public static final Setting<Duration> SHUTDOWN_GRACE =
      Setting.duration("shutdown.grace", "10s", "How long shutdown waits for connections to drain");

  public static List<Setting<?>> all() {
    return List.of(HOST, PORT, TRUSTED_PROXIES, DATA_DIR, STORE, STORE_USER, STORE_PASSWORD, STORE_SYNC,
        PURGE_INTERVAL, LANES, EVENT_LOOPS,
        CORS_ORIGINS, MAX_MESSAGE, MAX_JSON_DEPTH, MAX_QUEUED, MAX_ROOM_HISTORY, REQUEST_TIMEOUT,
        MAX_ROOMS_PER_CONNECTION,
        WEBSOCKET_COMPRESSION, WRITE_DELAY, MAX_FREE_HEAP, IDLE_COLLECTION,
        SHUTDOWN_GRACE);
  }
}
