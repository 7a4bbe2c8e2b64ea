/**
 * What the server counts for its operators: the engine's and the surfaces' events turned into
 * Micrometer meters, exposed at {@code /metrics} in the Prometheus text format.
 */
package dev.livestate.server.metrics;
