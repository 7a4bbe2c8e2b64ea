package dev.livestate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A room as one client sees it: the state the server confirmed through {@code seq}, and on top of
 * it this client's pending changes in order, so its own writes show at once. Ops and acks are
 * folded in seq order; one that comes early (an ack while another writer's op before it is still
 * on the wire) waits. Every mutation answers the change events it caused, judged on the view, not
 * on the confirmed state. Lane-confined: no locks.
 */
final class LocalState {
  private String epoch;
  private long seq;
  private Map<String, JsonNode> confirmed = new LinkedHashMap<>();
  private final List<Pending> pending = new ArrayList<>();
  /** Seq → what the room did at it, waiting for the seqs before it. */
  private final TreeMap<Long, Arrival> arrived = new TreeMap<>();

  /** What the room did at a seq: another writer's op, or one of ours it acked. */
  private record Arrival(Edit edit, Pending own) {}

  LocalState(String epoch, long seq, Map<String, JsonNode> confirmed) {
    this.epoch = epoch;
    this.seq = seq;
    this.confirmed.putAll(confirmed);
  }

  String epoch() {
    return epoch;
  }

  long seq() {
    return seq;
  }

  Map<String, JsonNode> confirmed() {
    return confirmed;
  }

  List<Pending> pending() {
    return pending;
  }

  /** The value the client sees: its last pending change of {@code key}, or the confirmed one. */
  JsonNode get(String key) {
    for (ListIterator<Pending> it = pending.listIterator(pending.size()); it.hasPrevious(); ) {
      Edit e = it.previous().edit;
      if (e.reset() || e.values().containsKey(key)) {
        return e.values().get(key);
      }
    }
    return confirmed.get(key);
  }

  /** The whole state the client sees. */
  Map<String, JsonNode> view() {
    Map<String, JsonNode> view = new LinkedHashMap<>(confirmed);
    pending.forEach(p -> p.edit.applyTo(view));
    return view;
  }

  /** Adds a change of this client's on top of the view. */
  List<ChangeEvent> add(Pending p) {
    return changing(p.edit, 0, ChangeEvent.Origin.LOCAL, () -> pending.add(p));
  }

  /** Another writer's op at {@code opSeq}; one already folded (a duplicate) is dropped. */
  List<ChangeEvent> op(long opSeq, Edit edit) {
    if (opSeq <= seq) {
      return List.of();
    }
    // ours when an ack came before the connection dropped and the catch-up brings it again
    Pending own = pending.stream().filter(p -> p.seq == opSeq).findFirst().orElse(null);
    arrived.put(opSeq, new Arrival(edit, own));
    return drain();
  }

  /** The room acked {@code p} at {@code ackSeq}. */
  List<ChangeEvent> acked(Pending p, long ackSeq) {
    if (ackSeq <= seq) {
      // a catch-up or snapshot already brought it
      return changing(p.edit, ackSeq, ChangeEvent.Origin.REMOTE, () -> pending.remove(p));
    }
    p.seq = ackSeq;
    arrived.put(ackSeq, new Arrival(p.edit, p));
    return drain();
  }

  /** The room refused {@code p}: the keys it wrote go back to what the room holds. */
  List<ChangeEvent> rejected(Pending p) {
    return changing(p.edit, 0, ChangeEvent.Origin.ROLLBACK, () -> pending.remove(p));
  }

  /**
   * A snapshot: the room's whole state at {@code at}. Changes of ours it already holds leave the
   * queue; the others stay on top.
   */
  List<ChangeEvent> snapshot(String newEpoch, long at, Map<String, JsonNode> values) {
    return changing(null, at, ChangeEvent.Origin.REMOTE, () -> {
      epoch = newEpoch;
      seq = at;
      confirmed = new LinkedHashMap<>(values);
      arrived.clear();
      pending.removeIf(p -> p.seq != 0 && p.seq <= at);
    });
  }

  /**
   * The room lost the history this client saw: it starts again at {@code at} under {@code
   * newEpoch}, and everything this client holds is to be decided again. What it had confirmed
   * goes first, as one change, before its own pending ones, all based on {@code at}.
   */
  void restart(String newEpoch, long at, Pending confirmedAgain) {
    epoch = newEpoch;
    seq = at;
    arrived.clear();
    pending.forEach(p -> {
      p.seq = 0;
      p.baseSeq = at;
    });
    if (!confirmedAgain.edit.values().isEmpty()) {
      pending.add(0, confirmedAgain);
    }
  }

  private List<ChangeEvent> drain() {
    List<ChangeEvent> events = new ArrayList<>();
    while (!arrived.isEmpty() && arrived.firstKey() == seq + 1) {
      long at = arrived.firstKey();
      Arrival a = arrived.pollFirstEntry().getValue();
      events.addAll(changing(a.edit, at, ChangeEvent.Origin.REMOTE, () -> {
        a.edit.applyTo(confirmed);
        seq = at;
        if (a.own != null) {
          pending.remove(a.own);
        }
      }));
    }
    return events;
  }

  /**
   * Runs {@code mutation} and answers a change event for each key whose visible value it changed:
   * the keys {@code edit} writes, or every key when it resets or is null.
   */
  private List<ChangeEvent> changing(Edit edit, long at, ChangeEvent.Origin origin,
      Runnable mutation) {
    boolean all = edit == null || edit.reset();
    Map<String, JsonNode> before = all ? view() : null;
    Map<String, JsonNode> beforeKeys = new LinkedHashMap<>();
    if (!all) {
      edit.values().keySet().forEach(k -> beforeKeys.put(k, get(k)));
    }
    mutation.run();
    List<ChangeEvent> events = new ArrayList<>();
    if (all) {
      Map<String, JsonNode> after = view();
      Set<String> keys = new LinkedHashSet<>(before.keySet());
      keys.addAll(after.keySet());
      for (String k : keys) {
        if (!Objects.equals(before.get(k), after.get(k))) {
          events.add(new ChangeEvent(k, after.get(k), at, origin));
        }
      }
    } else {
      for (Map.Entry<String, JsonNode> e : beforeKeys.entrySet()) {
        JsonNode now = get(e.getKey());
        if (!Objects.equals(e.getValue(), now)) {
          events.add(new ChangeEvent(e.getKey(), now, at, origin));
        }
      }
    }
    return events;
  }
}
