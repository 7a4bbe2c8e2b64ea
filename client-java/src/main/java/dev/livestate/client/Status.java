package dev.livestate.client;

/** Where the client's connection is. */
public enum Status {
  /** opening a connection */
  CONNECTING,
  /** connected and every room caught up */
  ONLINE,
  /** no connection; changes queue and a reconnect is scheduled */
  OFFLINE,
  /** connected, rooms catching up and pending changes being sent again */
  RESYNCING
}
