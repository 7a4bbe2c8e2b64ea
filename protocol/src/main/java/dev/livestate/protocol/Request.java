package dev.livestate.protocol;

import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import dev.livestate.room.Position;
import dev.livestate.room.Role;
import dev.livestate.room.Room;
import dev.livestate.room.RoomConfig;
import java.util.List;

/** A decoded client request. {@code id} is echoed in the reply (null when the client sent none). */
public sealed interface Request {
  Object id();

  /**
   * {@code token} proves who the client is (token mode); {@code resume} is the secret that holds
   * {@code clientId} in open mode. Each is null when not sent.
   */
  record Hello(Object id, String clientId, String token, String resume) implements Request {}

  /**
   * {@code role} and {@code priority} are null when not asked for (the client's permit decides);
   * {@code create} is null unless the client asked to create a missing room with that config;
   * {@code token} (may be null) grants this one room.
   */
  record Join(Object id, String room, Role role, Integer priority, Position since,
      RoomConfig create, String token) implements Request {}

  record Leave(Object id, String room) implements Request {}

  /**
   * {@code seenThrough}: the client confirms it saw the answers to its changes through this
   * localSeq, so the room may forget them ({@link Room#NOTHING_CONFIRMED} when not sent).
   */
  record Submit(Object id, String room, List<Proposal> changes, long seenThrough)
      implements Request {
    public Submit(Object id, String room, List<Proposal> changes) {
      this(id, room, changes, Room.NOTHING_CONFIRMED);
    }
  }

  record Lead(Object id, String room) implements Request {}

  record Unlead(Object id, String room) implements Request {}

  record SetPresence(Object id, String room, Json data) implements Request {}

  /** {@code time} in epoch millis, or null for the server's clock. */
  record Publish(Object id, String room, Json body, Long time) implements Request {}

  record History(Object id, String room, long from, long to) implements Request {}

  record Ping(Object id) implements Request {}

  /** A fresh token for the connection, sent before the one it holds expires. */
  record Refresh(Object id, String token) implements Request {}
}
