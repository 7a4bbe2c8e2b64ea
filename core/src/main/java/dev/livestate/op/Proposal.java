package dev.livestate.op;

import java.util.Objects;

/**
 * A change as a writer submits it: numbered by the writer ({@code localSeq}) and made after the
 * writer had seen the room up to {@code baseSeq}.
 */
public record Proposal(long localSeq, long baseSeq, Change change) {
  public Proposal {
    Objects.requireNonNull(change, "change");
    if (baseSeq < 0) {
      throw new IllegalArgumentException("baseSeq must be >= 0");
    }
  }
}
