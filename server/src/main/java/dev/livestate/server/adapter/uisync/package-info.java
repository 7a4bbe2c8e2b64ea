/**
 * Photon Ranch UI sync (seed 000): a Socket.IO v4 drop-in for the ui-sync-server. Codec
 * ({@code UiSyncCodec}: events to {@code UiSyncRequest}s, and every event the server sends as an
 * {@code Outbound}), semantics on the engine ({@code UiSyncHub}, {@code UiSyncSite},
 * {@code UiSyncSession}), and the Vert.x bridge to engine.io-server ({@code UiSyncSurface},
 * {@code PollingExchange}, {@code VertxEngineWebSocket}). See docs/compat/uisync.md.
 */
package dev.livestate.server.adapter.uisync;
