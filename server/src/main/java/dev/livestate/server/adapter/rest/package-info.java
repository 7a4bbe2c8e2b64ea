/** The native HTTP API: health, rooms, snapshots, streams. */
package dev.livestate.server.adapter.rest;
