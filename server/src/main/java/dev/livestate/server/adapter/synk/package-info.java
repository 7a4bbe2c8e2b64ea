/**
 * Supersynk (seed 004): HTTP channels where each client posts its latest data and gets the
 * others' back. A channel is the non-durable room {@code synk:<channel>}; each client's data is
 * its presence record, dropped when the client goes quiet. See docs/compat/supersynk.md.
 */
package dev.livestate.server.adapter.synk;
