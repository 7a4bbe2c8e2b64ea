package dev.livestate.room;

import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decided outcomes of each client's proposals, by (clientId, localSeq), so a resent change
 * gets its original answer instead of being applied twice (decision 007). Per client it keeps
 * every decision above the client's <b>floor</b>, at most {@code perClient} of them: the floor
 * rises to what the client confirmed it saw, and past the bound to the oldest decision pushed
 * out. A resend at or below the floor is refused as forgotten, never decided again.
 */
final class Ledger {
  /** The floor of a client that has forgotten nothing. */
  static final long NOTHING_FORGOTTEN = Long.MIN_VALUE;

  /** One client's decisions above its floor, by localSeq. */
  private static final class Client {
    long floor = NOTHING_FORGOTTEN;
    final TreeMap<Long, Outcome> decided = new TreeMap<>();
  }

  private final int perClient;
  private final Map<String, Client> byClient = new HashMap<>();

  Ledger(int perClient) {
    this.perClient = perClient;
  }

  /**
   * The answer to {@code localSeq} of {@code clientId} if it was decided: its outcome, or a
   * forgotten refusal at or below the client's floor. Null when it is new.
   */
  Outcome find(String clientId, long localSeq) {
    Client c = byClient.get(clientId);
    if (c == null) {
      return null;
    }
    Outcome decided = c.decided.get(localSeq);
    if (decided != null || localSeq > c.floor) {
      return decided;
    }
    return new Outcome.Rejected(localSeq, Rejection.FORGOTTEN, "localSeq " + localSeq
        + " is at or below " + c.floor + ", through which this room no longer remembers your"
        + " decisions: it was not applied now; send it under a new localSeq if it still matters",
        Map.of());
  }

  /** The client's floor: its decisions at or below it are forgotten. */
  long floor(String clientId) {
    Client c = byClient.get(clientId);
    return c == null ? NOTHING_FORGOTTEN : c.floor;
  }

  /** Records a decision; past the bound the client's oldest decision is forgotten. */
  void record(String clientId, Outcome outcome) {
    Client c = byClient.computeIfAbsent(clientId, id -> new Client());
    c.decided.put(outcome.localSeq(), outcome);
    if (c.decided.size() > perClient) {
      forget(c, c.decided.firstKey());
    }
  }

  /** Forgets the client's decisions at or below {@code through} (a floor never goes down). */
  void forget(String clientId, long through) {
    forget(byClient.computeIfAbsent(clientId, id -> new Client()), through);
  }

  private static void forget(Client c, long through) {
    c.floor = Math.max(c.floor, through);
    c.decided.headMap(through, true).clear();
  }

  /** Takes back an entry a store kept; in any order, the entries rebuild the same ledger. */
  void restore(LedgerEntry entry) {
    if (entry instanceof LedgerEntry.Forgotten f) {
      forget(f.clientId(), f.throughLocalSeq());
    } else if (entry instanceof LedgerEntry.Decided d
        && d.outcome().localSeq() > floor(d.clientId())) {
      record(d.clientId(), d.outcome());
    }
  }
}
