package dev.livestate.sync;

import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.room.Position;
import java.util.List;
import java.util.Map;

/** What a client gets for the position it last saw. */
public sealed interface CatchUp {
  /** The room's position after this catch-up is applied. */
  Position head();

  /** Exactly the ops after the client's position, in order. */
  record Tail(Position head, List<Op> ops) implements CatchUp {
    public Tail {
      ops = List.copyOf(ops);
    }
  }

  /** The whole state at {@code head}: the client had nothing, or history was trimmed. */
  record Snapshot(Position head, Map<String, Json> values) implements CatchUp {
    public Snapshot {
      values = java.util.Collections.unmodifiableMap(values);
    }
  }

  /**
   * The client reports a position this room never issued: the server lost state. The client
   * should re-submit what it holds so the room can be rebuilt.
   */
  record Resubmit(Position head) implements CatchUp {}
}
