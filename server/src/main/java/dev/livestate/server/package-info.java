/**
 * The server shell: its entry point, the surfaces it mounts on one HTTP port, and what a surface
 * gets to mount itself. Everything a protocol does lives in its adapter package.
 */
package dev.livestate.server;
