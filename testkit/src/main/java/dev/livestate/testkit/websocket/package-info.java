/**
 * The one WebSocket client of the tests, {@link dev.livestate.testkit.websocket.WebSocketClient}:
 * real frames over a real socket, every received frame kept with its arrival time, waits that
 * take the next match or find one from a position. Each protocol's test conveniences are thin
 * wrappers over it in that protocol's tests.
 */
package dev.livestate.testkit.websocket;
