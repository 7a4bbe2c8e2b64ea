/**
 * Where rooms are stored: the configured location of the server's durable store and the one
 * factory that opens every store (the server's own and those surfaces name).
 */
package dev.livestate.server.store;
