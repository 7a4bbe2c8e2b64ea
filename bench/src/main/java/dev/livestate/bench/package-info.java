/** Load programs: each starts the packaged server as a child process and measures it. */
package dev.livestate.bench;
