package dev.livestate.client;

import java.util.concurrent.CompletableFuture;

/**
 * A change of this client's that the room's state does not hold yet: not yet answered, or acked
 * with {@code seq} while ops before it are still on their way. Lane-confined.
 */
final class Pending {
  final long localSeq;
  /** The last seq this client had seen when it made the change; re-based after a resubmit. */
  long baseSeq;
  final Edit edit;
  final CompletableFuture<Long> result;
  /** The seq it was acked with, 0 while unanswered. */
  long seq;
  /** Sent on the current connection (a resend on the same connection would be wasted). */
  boolean sent;

  Pending(long localSeq, long baseSeq, Edit edit, CompletableFuture<Long> result) {
    this.localSeq = localSeq;
    this.baseSeq = baseSeq;
    this.edit = edit;
    this.result = result;
  }
}
