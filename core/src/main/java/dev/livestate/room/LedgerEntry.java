package dev.livestate.room;

import dev.livestate.op.Op;
import dev.livestate.sync.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * One change to a room's resend ledger, which its store keeps beside the ops of the same batch
 * and gives back at recovery: a decision, or the point through which a client's decisions are
 * forgotten. Entries read back in any order rebuild the same ledger.
 */
public sealed interface LedgerEntry {
  String clientId();

  /** The client's change {@code outcome.localSeq()} was decided: accepted, or refused. */
  record Decided(String clientId, Outcome outcome) implements LedgerEntry {}

  /**
   * Every decision of the client at or below {@code throughLocalSeq} is forgotten: the client
   * confirmed it saw them, or the room keeps only its newest. A resend of one is refused as
   * {@link dev.livestate.sync.Rejection#FORGOTTEN forgotten}, never applied.
   */
  record Forgotten(String clientId, long throughLocalSeq) implements LedgerEntry {}

  /** The acks of {@code ops}: what a batch that refused nothing adds to the ledger. */
  static List<LedgerEntry> acksOf(List<Op> ops) {
    List<LedgerEntry> acks = new ArrayList<>(ops.size());
    for (Op op : ops) {
      acks.add(new Decided(op.writer(), new Outcome.Accepted(op.localSeq(), op.seq())));
    }
    return acks;
  }
}
