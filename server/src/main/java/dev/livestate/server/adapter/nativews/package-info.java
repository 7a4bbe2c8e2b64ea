/**
 * The native protocol's WebSocket surface: a session that maps decoded requests to engine calls
 * and room events to messages, and the route that mounts it. The wire itself (requests, their
 * codec, the server's messages, the error codes) is the protocol module's
 * ({@link dev.livestate.protocol}).
 */
package dev.livestate.server.adapter.nativews;
