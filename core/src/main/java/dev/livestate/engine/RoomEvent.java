package dev.livestate.engine;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.stream.StreamMessage;
import java.util.List;

/** What a room tells its subscribers. Sent only once what it reports is committed. */
public sealed interface RoomEvent {
  String room();

  /**
   * Accepted ops, in seq order, from one writer's batch; {@code origin} is where the batch came
   * from (its own connection is not sent it).
   */
  record Relayed(String room, String writer, Origin origin, List<Op> ops) implements RoomEvent {}

  /** A new stream message. */
  record Published(String room, StreamMessage message) implements RoomEvent {}

  /** A client's presence data changed; {@code data} is null when it left or expired. */
  record PresenceChanged(String room, String clientId, Json data) implements RoomEvent {}

  /** The room's leader changed; either side may be null. */
  record LeaderChanged(String room, String leader, String previous) implements RoomEvent {}

  /**
   * The room of {@code epoch} was deleted. Only the owner tells other nodes of it; subscribers
   * are never handed it, they are closed with {@link RoomClosed#DELETED}.
   */
  record Deleted(String room, String epoch) implements RoomEvent {}

  /** The room was sealed: it takes no more changes. */
  record Sealed(String room) implements RoomEvent {}
}
