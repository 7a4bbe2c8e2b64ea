/**
 * Many nodes serving one set of rooms: the {@link dev.livestate.cluster.Bus} that carries each
 * committed event from a room's owner to the nodes with subscribers and tells which nodes are
 * alive, and the {@link dev.livestate.cluster.Leases} that give each room one owner at a time
 * with a fencing generation (decision 015). Contracts and an in-memory implementation for
 * several engines in one process; the networked ones live with the server.
 */
package dev.livestate.cluster;
