/** Reading a server's flight recording (JFR) into the figures docs/performance.md quotes. */
package dev.livestate.bench.profile;
