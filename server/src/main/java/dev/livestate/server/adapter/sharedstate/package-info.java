/**
 * The shared-state protocol (seed 002): item collections at {@code /app/service/collection}
 * over one JSON WebSocket, each collection a room {@code sharedstate:/app/service/collection}
 * whose keys are item ids, each service a named store. {@code SharedStateCodec} reads requests
 * into {@code SharedStateRequest}s, {@code SharedStateMessages} writes replies and
 * notifications, {@code SharedStateSession} translates between them and the engine. See
 * docs/compat/sharedstate.md.
 */
package dev.livestate.server.adapter.sharedstate;
