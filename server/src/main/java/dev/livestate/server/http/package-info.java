/** The HTTP and WebSocket shell shared by every surface: limits, JSON setup, connections. */
package dev.livestate.server.http;
