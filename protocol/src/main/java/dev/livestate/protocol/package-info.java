/**
 * What a livestate server and its clients share about the wire: the native protocol's
 * messages and their codec, its error codes, and the close reasons of every surface. Depends on
 * the core and Jackson only, so a client can use it without the server.
 */
package dev.livestate.protocol;
