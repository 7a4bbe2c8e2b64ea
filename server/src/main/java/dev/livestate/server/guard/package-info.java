/**
 * Limits on what one client can make the server do: changes and joins per second on a
 * connection, rooms created per client and in all, connections per remote address. Each surface
 * refuses past them in its own protocol's shape and keeps the connection.
 */
package dev.livestate.server.guard;
