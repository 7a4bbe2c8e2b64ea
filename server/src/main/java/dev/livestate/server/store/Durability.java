package dev.livestate.server.store;

/** How hard the embedded SQLite store pushes each commit to disk (setting {@code store.sync}). */
public enum Durability {
  /** fsync each commit: an acked write survives a power loss. */
  FULL,
  /** hand each commit to the OS: an acked write survives a crash of the process. */
  NORMAL
}
