/**
 * The native HTTP API's routes: health, rooms, snapshots, streams. Bodies and answers are the
 * protocol module's ({@link dev.livestate.protocol.HttpApiCodec}), errors its codes.
 */
package dev.livestate.server.adapter.rest;
