/**
 * Who a client is and what it may do: signed tokens (JWT) turned into a core
 * {@link dev.livestate.access.Permit}, the server's auth mode (open for development, or tokens),
 * and, in open mode, the resume secrets that keep a client id to the client that claimed it.
 */
package dev.livestate.server.auth;
