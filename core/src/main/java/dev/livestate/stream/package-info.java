/** Streams: per-room timestamped messages (status logs), apart from state, expiring by TTL. */
package dev.livestate.stream;
