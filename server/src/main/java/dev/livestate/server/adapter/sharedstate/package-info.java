/**
 * The shared-state protocol (seed 002): item collections at {@code /app/service/collection}
 * over one JSON WebSocket, each collection a room {@code sharedstate:/app/service/collection}
 * whose keys are item ids, each service a named store. See docs/compat/sharedstate.md.
 */
package dev.livestate.server.adapter.sharedstate;
