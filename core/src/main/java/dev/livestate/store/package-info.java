/**
 * The store SPI: ordered asynchronous writes with commit callbacks, recovery at start; and the
 * in-memory store for ephemeral rooms.
 */
package dev.livestate.store;
