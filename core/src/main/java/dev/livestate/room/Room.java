package dev.livestate.room;

import dev.livestate.conflict.Conflict;
import dev.livestate.op.Change;
import dev.livestate.op.Json;
import dev.livestate.op.Op;
import dev.livestate.op.Proposal;
import dev.livestate.state.Entry;
import dev.livestate.state.State;
import dev.livestate.sync.CatchUp;
import dev.livestate.sync.Outcome;
import dev.livestate.sync.Rejection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One room's decisions: which proposals are accepted, their seqs, the state they fold into, who
 * leads, and what a client catching up needs. Pure and single-threaded: callers drive it from
 * the room's one lane.
 */
public final class Room {
  /** How many decided outcomes per client are remembered for resends, at most. */
  public static final int LEDGER_PER_CLIENT = 10_000;
  /** What a client that has confirmed seeing no answer yet confirms. */
  public static final long NOTHING_CONFIRMED = Ledger.NOTHING_FORGOTTEN;

  private final String name;
  private final RoomConfig config;
  private final String epoch;
  private final State state = new State();
  private final ArrayDeque<Op> retained = new ArrayDeque<>();
  /** The {@link Op#textSize} of {@link #retained}, bounded by the config's retainBytes. */
  private long retainedBytes;
  private final Ledger ledger = new Ledger(LEDGER_PER_CLIENT);
  private long head;
  private String leader;
  /** Who the leader is across reconnects (null: only its client id). */
  private String leaderIdentity;
  /** Whether the leader's connection is gone and it keeps the room until {@link #leaseEnds}. */
  private boolean leased;
  private long leaseEnds;
  private boolean sealed;

  public Room(String name, RoomConfig config, String epoch) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.epoch = Objects.requireNonNull(epoch, "epoch");
  }

  /**
   * Rebuilds a room from what a store recovered: its state at {@code head}, recent ops and resend
   * ledger.
   */
  public static Room recover(
      String name, RoomConfig config, String epoch, long head,
      Map<String, Entry> entries, List<Op> recentOps, List<LedgerEntry> ledger, boolean sealed) {
    Room room = new Room(name, config, epoch);
    room.head = head;
    room.sealed = sealed;
    entries.forEach(room.state::restore);
    ledger.forEach(room.ledger::restore);
    for (Op op : recentOps) {
      room.retain(op);
      // a store written before ledgers were kept has only its ops to say what was acked
      if (room.ledger.find(op.writer(), op.localSeq()) == null) {
        room.ledger.record(op.writer(), new Outcome.Accepted(op.localSeq(), op.seq()));
      }
    }
    room.trimToLimits();
    return room;
  }

  public String name() {
    return name;
  }

  public RoomConfig config() {
    return config;
  }

  public String epoch() {
    return epoch;
  }

  public Position head() {
    return new Position(epoch, head);
  }

  public State state() {
    return state;
  }

  public String leader() {
    return leader;
  }

  public boolean sealed() {
    return sealed;
  }

  /** Makes the room read-only for good. */
  public void seal() {
    sealed = true;
  }

  /**
   * The outcomes of a batch, in order, the ops it added, and what it changed in the resend
   * ledger, which the store keeps with the ops.
   */
  public record Decision(List<Outcome> outcomes, List<Op> accepted, List<LedgerEntry> ledger) {}

  /** Decides a batch from a writer that confirms nothing: see the next method. */
  public Decision decide(Writer writer, List<Proposal> proposals, long now) {
    return decide(writer, proposals, NOTHING_CONFIRMED, now);
  }

  /**
   * Decides each proposal in order. An accepted one gets the next seq and is applied at once,
   * so later proposals in the batch (and later batches) are decided against it. Each (client,
   * localSeq) is decided once: its outcome, refusal or ack, is what every resend gets, until the
   * room forgets it. The writer's decisions at or below {@code seenThrough} (it confirms it saw
   * their answers) are forgotten first.
   */
  public Decision decide(Writer writer, List<Proposal> proposals, long seenThrough, long now) {
    String client = writer.clientId();
    List<Outcome> outcomes = new ArrayList<>(proposals.size());
    List<Op> accepted = new ArrayList<>(proposals.size());
    List<LedgerEntry> ledgered = new ArrayList<>(proposals.size() + 1);
    long floor = ledger.floor(client);
    ledger.forget(client, seenThrough);
    for (Proposal p : proposals) {
      Outcome outcome = ledger.find(client, p.localSeq());
      if (outcome == null) {
        outcome = decideOne(writer, p, now, accepted);
        ledger.record(client, outcome);
        ledgered.add(new LedgerEntry.Decided(client, outcome));
      }
      outcomes.add(outcome);
    }
    if (ledger.floor(client) != floor) {
      // last, so that it also takes away what this batch pushed past the bound
      ledgered.add(new LedgerEntry.Forgotten(client, ledger.floor(client)));
    }
    trimToLimits();
    return new Decision(outcomes, accepted, ledgered);
  }

  private Outcome decideOne(Writer writer, Proposal p, long now, List<Op> accepted) {
    Outcome.Rejected refused = refusal(writer, p);
    if (refused != null) {
      return refused;
    }
    Map<String, Entry> winners = conflictsLost(writer, p);
    if (!winners.isEmpty()) {
      return new Outcome.Rejected(p.localSeq(), Rejection.CONFLICT,
          "conflict on " + String.join(", ", winners.keySet()), winners);
    }
    Op op = new Op(++head, writer.clientId(), p.localSeq(), writer.priority(), now, p.change());
    state.apply(op);
    retain(op);
    accepted.add(op);
    return new Outcome.Accepted(p.localSeq(), op.seq());
  }

  private Outcome.Rejected refusal(Writer writer, Proposal p) {
    if (sealed) {
      return new Outcome.Rejected(p.localSeq(), Rejection.SEALED, "room is sealed", Map.of());
    }
    if (!writer.role().canWrite()) {
      return new Outcome.Rejected(p.localSeq(), Rejection.READER, "readers cannot write", Map.of());
    }
    boolean isLeader = writer.clientId().equals(leader);
    if (leader != null && !isLeader) {
      return new Outcome.Rejected(p.localSeq(), Rejection.NOT_LEADER,
          "room is led by " + leader, Map.of());
    }
    if (config.writeAccess() == WriteAccess.LEADER_ONLY && !isLeader) {
      return new Outcome.Rejected(p.localSeq(), Rejection.NOT_LEADER,
          "only the room's leader may write", Map.of());
    }
    return null;
  }

  /**
   * The keys where this proposal conflicts and the policy keeps the current value. A base seq
   * past the head was seen in a history this room does not have (it lost state and was rebuilt),
   * so the writer counts as having seen nothing of this one.
   */
  private Map<String, Entry> conflictsLost(Writer writer, Proposal p) {
    long base = p.baseSeq() > head ? 0 : p.baseSeq();
    Map<String, Entry> lost = new LinkedHashMap<>();
    for (Map.Entry<String, Json> e : proposedValues(p.change()).entrySet()) {
      Entry current = state.get(e.getKey());
      if (Conflict.between(current, e.getValue(), base, writer.clientId())
          && !config.policy().overrules(writer.priority(), current)) {
        lost.put(e.getKey(), current);
      }
    }
    return lost;
  }

  /** Every key the change would alter, with its value afterwards (null = gone). */
  private Map<String, Json> proposedValues(Change change) {
    if (change instanceof Change.Reset) {
      Map<String, Json> after = new LinkedHashMap<>();
      state.entries().forEach((k, e) -> {
        if (!e.deleted()) {
          after.put(k, null);
        }
      });
      after.putAll(change.values());
      return after;
    }
    return change.values();
  }

  /**
   * What a client that last saw {@code since} needs: the missed ops, a snapshot, or — when the
   * position was never issued here — a request to re-submit.
   */
  public CatchUp catchUp(Position since) {
    if (since == null || (since.seq() == 0 && !since.epoch().equals(epoch))) {
      return snapshot();
    }
    if (!since.epoch().equals(epoch) || since.seq() > head) {
      return new CatchUp.Resubmit(head());
    }
    long first = retained.isEmpty() ? head + 1 : retained.peekFirst().seq();
    if (since.seq() + 1 < first) {
      return snapshot();
    }
    List<Op> missed = new ArrayList<>();
    Iterator<Op> it = retained.descendingIterator();
    while (it.hasNext()) {
      Op op = it.next();
      if (op.seq() <= since.seq()) {
        break;
      }
      missed.add(op);
    }
    java.util.Collections.reverse(missed);
    return new CatchUp.Tail(head(), missed);
  }

  public CatchUp.Snapshot snapshot() {
    return new CatchUp.Snapshot(head(), state.values());
  }

  /** The ops still kept for catch-up, oldest first. */
  public Collection<Op> retained() {
    return java.util.Collections.unmodifiableCollection(retained);
  }

  /**
   * Drops ops older than the retention age (those past the count and byte bounds went when they
   * were passed). Returns the highest seq no longer retained (0 if
   * none was ever dropped), which a store may delete through.
   */
  public long trim(long now) {
    if (!config.retainAge().isZero()) {
      long cutoff = now - config.retainAge().toMillis();
      while (!retained.isEmpty() && retained.peekFirst().time() < cutoff) {
        dropOldest();
      }
    }
    return retained.isEmpty() ? head : retained.peekFirst().seq() - 1;
  }

  private void retain(Op op) {
    retained.addLast(op);
    retainedBytes += op.textSize();
  }

  private void dropOldest() {
    retainedBytes -= retained.pollFirst().textSize();
  }

  /** Drops the oldest ops until at most retainOps of them, and retainBytes, are kept. */
  private void trimToLimits() {
    while (retained.size() > config.retainOps()
        || (!retained.isEmpty() && retainedBytes > config.retainBytes())) {
      dropOldest();
    }
  }

  /** Claims the room's leadership for {@code clientId}, with no identity beyond it. */
  public Leadership claimLeader(String clientId) {
    return claimLeader(clientId, null);
  }

  /**
   * Claims the room's leadership for {@code clientId}. Claiming it again is a no-op grant.
   * {@code identity} (may be null) names the leader across connections: while a leader whose
   * connection is gone holds the room on a lease ({@link #leaderLeft}), a claim with the same
   * identity takes the room back whatever the takeover rule says.
   */
  public Leadership claimLeader(String clientId, String identity) {
    if (leader == null || leader.equals(clientId)) {
      lead(clientId, identity);
      return new Leadership.Granted(null);
    }
    boolean reclaim = leased && identity != null && identity.equals(leaderIdentity);
    if (!reclaim && config.takeover() == Takeover.REFUSE) {
      return new Leadership.Refused(leader);
    }
    String previous = leader;
    lead(clientId, identity);
    return new Leadership.Granted(previous);
  }

  private void lead(String clientId, String identity) {
    leader = clientId;
    leaderIdentity = identity;
    leased = false;
  }

  /** Ends {@code clientId}'s leadership; false if it was not the leader. */
  public boolean releaseLeader(String clientId) {
    if (clientId.equals(leader)) {
      leader = null;
      leaderIdentity = null;
      leased = false;
      return true;
    }
    return false;
  }

  /**
   * The leader's connection is gone. Without a grace it loses the room at once; with one it
   * keeps the room on a lease until {@code now + graceMillis}, so a reconnect under its identity
   * can take the room back without anyone seeing a gap. Returns whether it lost the room now.
   */
  public boolean leaderLeft(String clientId, long now, long graceMillis) {
    if (!clientId.equals(leader)) {
      return false;
    }
    if (graceMillis <= 0) {
      releaseLeader(clientId);
      return true;
    }
    leased = true;
    leaseEnds = now + graceMillis;
    return false;
  }

  /** Ends a lease that ran out by {@code now}: returns the leader that lost the room, or null. */
  public String expireLease(long now) {
    if (!leased || now < leaseEnds) {
      return null;
    }
    String gone = leader;
    releaseLeader(gone);
    return gone;
  }
}
