/**
 * Photon Ranch UI sync (seed 000): a Socket.IO v4 drop-in for the ui-sync-server. Codec
 * ({@code UiSyncCodec}, {@code UiSyncRequest}), semantics on the engine ({@code UiSyncHub},
 * {@code UiSyncSession}), and the Vert.x bridge to engine.io-server ({@code UiSyncSurface},
 * {@code PollingExchange}, {@code VertxEngineWebSocket}). See docs/compat/uisync.md.
 */
package dev.livestate.server.adapter.uisync;
