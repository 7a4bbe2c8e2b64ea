package dev.livestate.client.storage;

import java.io.IOException;

/**
 * Keeps one client's {@link Saved} state between runs. Called from the client's one thread,
 * never concurrently; {@link #save} may block (it is the client's durability point: a change is
 * saved before it is sent), and must replace what was saved as a whole or not at all.
 */
public interface ClientStorage {
  /** What the last {@link #save} kept, or null when nothing was saved yet. */
  Saved load() throws IOException;

  void save(Saved saved) throws IOException;
}
