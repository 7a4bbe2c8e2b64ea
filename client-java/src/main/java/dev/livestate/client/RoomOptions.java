package dev.livestate.client;

import dev.livestate.room.Role;
import dev.livestate.room.RoomConfig;

/**
 * How a client joins a room.
 *
 * @param create the config to create the room with if it does not exist, or null to join only an
 *     existing room
 * @param role writer, reader or leader; null: the server's default (open mode: writer; token
 *     mode: the grant's)
 * @param priority the priority in rooms with the {@code priority} policy, or null for the default
 * @param token a token for this one room, or null for the connection's
 */
public record RoomOptions(RoomConfig create, Role role, Integer priority, String token) {
  /** Joins an existing room with the server's defaults. */
  public static final RoomOptions JOIN = new RoomOptions(null, null, null, null);

  /** Creates the room with {@code config} if it does not exist. */
  public static RoomOptions create(RoomConfig config) {
    return JOIN.withCreate(config);
  }

  public RoomOptions withCreate(RoomConfig config) {
    return new RoomOptions(config, role, priority, token);
  }

  public RoomOptions withRole(Role r) {
    return new RoomOptions(create, r, priority, token);
  }

  public RoomOptions withPriority(int p) {
    return new RoomOptions(create, role, p, token);
  }

  public RoomOptions withToken(String t) {
    return new RoomOptions(create, role, priority, t);
  }
}
