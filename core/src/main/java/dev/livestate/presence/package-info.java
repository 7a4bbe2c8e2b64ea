/** Per-client ephemeral records in a room, expiring when a client leaves or goes quiet. */
package dev.livestate.presence;
