/**
 * Cluster mode under load and under failure: three nodes against one at the same offered load,
 * and how long a room waits for a new owner after its node is killed.
 */
package dev.livestate.bench.cluster;
