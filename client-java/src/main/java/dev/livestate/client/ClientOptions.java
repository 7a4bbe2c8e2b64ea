package dev.livestate.client;

import dev.livestate.client.storage.ClientStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a {@link LivestateClient} connects. Immutable; start from {@link #of} and change what you
 * need with the {@code with…} methods.
 *
 * @param uri the server's native WebSocket, e.g. {@code ws://localhost:8080/ws}
 * @param clientId the id to write under, or null: in open mode a random one is made (and kept in
 *     {@code storage}), in token mode the token's subject is the id
 * @param token gives a fresh token for each connection and before the last one expires (it may
 *     block: it is called off the client's thread), or null in open mode
 * @param storage keeps the client's identity, rooms and pending changes between runs, or null to
 *     keep them in memory only
 * @param minBackoff the longest first wait before a reconnect; each failed attempt doubles it
 * @param maxBackoff the longest wait between attempts; each wait is a random time up to the bound
 *     ("full jitter"), so many clients do not come back at once
 * @param http the JDK HTTP client to open WebSockets with
 * @param pingInterval how often the client pings the server; a ping unanswered by the next one
 *     means the connection is dead though no socket said so (a laptop waking up, a NAT that
 *     forgot it), and the client connects again. Zero: never.
 */
public record ClientOptions(URI uri, String clientId, Supplier<String> token,
    ClientStorage storage, Duration minBackoff, Duration maxBackoff, HttpClient http,
    Duration pingInterval) {

  public ClientOptions {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(minBackoff, "minBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(pingInterval, "pingInterval");
    if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("backoff must be 0 <= minBackoff <= maxBackoff");
    }
    if (pingInterval.isNegative()) {
      throw new IllegalArgumentException("pingInterval must not be negative");
    }
  }

  /**
   * Options for {@code uri}: an id of the client's own, in memory, backing off 250 ms to 10 s,
   * pinging every 20 s.
   */
  public static ClientOptions of(String uri) {
    return new ClientOptions(URI.create(uri), null, null, null, Duration.ofMillis(250),
        Duration.ofSeconds(10), HttpClient.newHttpClient(), Duration.ofSeconds(20));
  }

  public ClientOptions withClientId(String id) {
    return new ClientOptions(uri, id, token, storage, minBackoff, maxBackoff, http, pingInterval);
  }

  public ClientOptions withToken(Supplier<String> supplier) {
    return new ClientOptions(uri, clientId, supplier, storage, minBackoff, maxBackoff, http,
        pingInterval);
  }

  public ClientOptions withStorage(ClientStorage s) {
    return new ClientOptions(uri, clientId, token, s, minBackoff, maxBackoff, http, pingInterval);
  }

  public ClientOptions withBackoff(Duration min, Duration max) {
    return new ClientOptions(uri, clientId, token, storage, min, max, http, pingInterval);
  }

  public ClientOptions withPingInterval(Duration interval) {
    return new ClientOptions(uri, clientId, token, storage, minBackoff, maxBackoff, http, interval);
  }
}
