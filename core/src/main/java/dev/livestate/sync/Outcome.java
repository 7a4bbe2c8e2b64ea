package dev.livestate.sync;

import dev.livestate.state.Entry;
import java.util.Map;

/** What the room decided about one proposed change. */
public sealed interface Outcome {
  long localSeq();

  /** Accepted and numbered {@code seq}. */
  record Accepted(long localSeq, long seq) implements Outcome {}

  /**
   * Not applied. For a conflict, {@code winners} holds each contested key's current entry (the
   * value that stands and the seq that set it); otherwise it is empty.
   */
  record Rejected(long localSeq, Rejection reason, String message, Map<String, Entry> winners)
      implements Outcome {
    public Rejected {
      winners = Map.copyOf(winners);
    }
  }
}
