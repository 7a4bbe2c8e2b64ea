/**
 * Status messages (seed 001, Photon Ranch userstatus): {@code POST /newlog}, {@code GET
 * /recent-logs}, {@code GET /onlineusers} and a per-site WebSocket, over each site's durable
 * engine stream {@code userstatus:<site>}. See docs/compat/userstatus.md.
 */
package dev.livestate.server.adapter.userstatus;
