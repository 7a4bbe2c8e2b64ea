/** Whether this node should be sent clients: {@code GET /ready}, and shutdown's first step. */
package dev.livestate.server.health;
