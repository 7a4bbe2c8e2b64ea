package dev.livestate.protocol;

import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import dev.livestate.room.Position;
import dev.livestate.room.Role;
import dev.livestate.room.RoomConfig;
import java.util.List;

/** A decoded client request. {@code id} is echoed in the reply (null when the client sent none). */
public sealed interface Request {
  Object id();

  record Hello(Object id, String clientId, String token) implements Request {}

  /** {@code create} is null unless the client asked to create a missing room with that config. */
  record Join(Object id, String room, Role role, int priority, Position since, RoomConfig create)
      implements Request {}

  record Leave(Object id, String room) implements Request {}

  record Submit(Object id, String room, List<Proposal> changes) implements Request {}

  record Lead(Object id, String room) implements Request {}

  record Unlead(Object id, String room) implements Request {}

  record SetPresence(Object id, String room, Json data) implements Request {}

  /** {@code time} in epoch millis, or null for the server's clock. */
  record Publish(Object id, String room, Json body, Long time) implements Request {}

  record History(Object id, String room, long from, long to) implements Request {}

  record Ping(Object id) implements Request {}
}
