/**
 * Where a client keeps what must outlive its process: its identity, each room's position and
 * state, and the changes the server has not answered yet. {@link
 * dev.livestate.client.storage.ClientStorage} is the interface, {@link
 * dev.livestate.client.storage.FileStorage} its one implementation, a JSON file.
 */
package dev.livestate.client.storage;
