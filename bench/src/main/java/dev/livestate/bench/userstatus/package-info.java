/** The status-message load: durable posts at a steady rate, pushes to WebSocket subscribers timed. */
package dev.livestate.bench.userstatus;
