/** Cluster mode under failure: how long a room waits for a new owner. */
package dev.livestate.bench.cluster;
