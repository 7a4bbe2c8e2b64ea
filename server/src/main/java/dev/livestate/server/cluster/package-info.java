/**
 * Cluster mode (decision 015): the cluster settings, and the {@link dev.livestate.cluster.Bus}
 * and {@link dev.livestate.cluster.Leases} on Redis 7 through Vert.x's Redis client.
 */
package dev.livestate.server.cluster;
