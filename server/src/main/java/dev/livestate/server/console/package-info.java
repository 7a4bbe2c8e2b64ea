/**
 * The live web console at {@code /console}: a page built from {@code clients/js/console} and the
 * small admin JSON API it polls — rooms with their seq, subscribers and rates, one room's state,
 * op log and presence, connections by surface, and the last minutes of ops and deliveries.
 */
package dev.livestate.server.console;
