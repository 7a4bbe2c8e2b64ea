/**
 * The cluster contract suite: {@link dev.livestate.testkit.cluster.ClusterContract} checks a
 * {@link dev.livestate.cluster.Bus} and its {@link dev.livestate.cluster.Leases}, run against
 * every backend by one short subclass (the in-memory cluster's in this module's tests, Redis's
 * in the server's).
 */
package dev.livestate.testkit.cluster;
