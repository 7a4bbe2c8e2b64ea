package dev.livestate.engine;

import dev.livestate.op.Json;
import dev.livestate.op.Proposal;
import dev.livestate.room.Leadership;
import dev.livestate.room.Writer;
import dev.livestate.stream.StreamMessage;
import dev.livestate.sync.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request made of a room that only its owner can answer, as one node hands it to another
 * (decision 024); {@code A} is the type of its answer. Reads of the room's log (a catch-up, a
 * snapshot) are not here: any node reads them from the shared store.
 */
public sealed interface RoomRequest<A> {

  /** A writer's changes (decision 023). */
  record Submit(Writer writer, List<Proposal> proposals, long seenThrough)
      implements RoomRequest<List<Outcome>> {}

  record ClaimLeader(String clientId, String identity) implements RoomRequest<Leadership> {}

  record ReleaseLeader(String clientId) implements RoomRequest<Boolean> {}

  /** Answered only when the grace is over (or the leadership settled before). */
  record LeaderLeft(String clientId, Duration grace) implements RoomRequest<Boolean> {
    public LeaderLeft {
      Objects.requireNonNull(grace, "grace");
    }
  }

  record SetPresence(String clientId, Json data) implements RoomRequest<Void> {}

  record TouchPresence(String clientId) implements RoomRequest<Void> {}

  record RemovePresence(String clientId) implements RoomRequest<Void> {}

  record Presence() implements RoomRequest<Map<String, Json>> {}

  record Publish(long time, Json body) implements RoomRequest<StreamMessage> {}

  record ReadStream(long from, long to) implements RoomRequest<List<StreamMessage>> {}

  record PutAttribute(String key, Json value) implements RoomRequest<Void> {}

  record Seal() implements RoomRequest<Void> {}

  /** Deletes the room: decided by its owner, so it is ordered with its writes and fenced. */
  record Delete() implements RoomRequest<Void> {}

  record WhenCommitted() implements RoomRequest<Void> {}

  /** Who leads and who is present, for a node that mirrors them for its own subscribers. */
  record Company() implements RoomRequest<Peers.Company> {}
}
