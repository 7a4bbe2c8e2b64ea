/** The Supersynk load: many HTTP clients posting to channels at a steady rate, answers timed. */
package dev.livestate.bench.synk;
