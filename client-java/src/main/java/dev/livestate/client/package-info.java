/**
 * The Java SDK of livestate's native protocol: {@link dev.livestate.client.LivestateClient} and
 * its {@link dev.livestate.client.Room}s, with optimistic local state, an ordered offline queue,
 * reconnects that resume, conflict and change listeners and {@code CompletableFuture} results. On
 * the JDK's {@code java.net.http} WebSocket and the protocol module; docs/sdk-java.md shows it in
 * use.
 */
package dev.livestate.client;
