package dev.livestate.engine;

import dev.livestate.op.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A follower's copy of who leads a room another node owns and who is present in it (decision
 * 024), for its subscribers' joins. It is kept from the owner's events, each handed on after the
 * ops through the seq it carries; an event lost on the bus shows as a gap in their numbers, or
 * is noticed by the next periodic refresh, and either way the owner's own account ({@link
 * Peers.Company}) replaces the copy, the differences handed on as events. A new holding of the
 * room (a larger generation: another owner, or the same node after losing the room) starts
 * empty, as the owner does. Lane only.
 */
final class Mirror {
  private final String room;
  /** Runs a task once the ops through a seq were handed to the subscribers here. */
  private final BiConsumer<Long, Runnable> afterOps;
  private final Consumer<RoomEvent> deliver;
  /** Asks the owner for its account. */
  private final Runnable refresh;
  /** The holding whose news this copy follows (-1: none yet), and its last event counted. */
  private long holding = -1;
  private long number;
  /** Whether an event before {@link #number} never came: the owner's account must fill it. */
  private boolean missing;
  // as handed to the subscribers here
  private volatile String leader;
  private final Map<String, Json> presence = new LinkedHashMap<>();

  Mirror(String room, BiConsumer<Long, Runnable> afterOps, Consumer<RoomEvent> deliver,
      Runnable refresh) {
    this.room = room;
    this.afterOps = afterOps;
    this.deliver = deliver;
    this.refresh = refresh;
  }

  /** The leader as the subscribers here were told; any thread. */
  String leader() {
    return leader;
  }

  Map<String, Json> presence() {
    return Map.copyOf(presence);
  }

  void told(Peers.Told t) {
    if (!adds(t.holding(), t.number(), t.at())) {
      return;
    }
    boolean gap = t.number() > number + 1;
    number = t.number();
    afterOps.accept(t.at(), () -> apply(t.event()));
    if (gap) {
      missing = true;
      refresh.run();
    }
  }

  void company(Peers.Company c) {
    boolean fills = missing && c.holding() == holding && c.number() >= number;
    if (adds(c.holding(), c.number(), c.at()) || fills) {
      number = c.number();
      missing = false;
      afterOps.accept(c.at(), () -> become(c.leader(), c.presence()));
    }
  }

  /** The owner is gone, and with it what its clients held: the subscribers here are told. */
  void ownerGone() {
    become(null, Map.of());
  }

  /** Nobody here reads the room any more, or this node owns it now: forget everything. */
  void stop() {
    holding = -1;
    number = 0;
    missing = false;
    leader = null;
    presence.clear();
  }

  /**
   * Whether news numbered {@code n} of holding {@code h} is newer than this copy; a newer
   * holding first empties it, as the owner starts.
   */
  private boolean adds(long h, long n, long at) {
    if (h < holding) {
      return false;
    }
    if (h > holding) {
      // before the first news the copy is empty, and this hands on nothing
      afterOps.accept(at, this::ownerGone);
      holding = h;
      number = 0;
      missing = false;
    }
    return n > number;
  }

  private void apply(RoomEvent e) {
    if (e instanceof RoomEvent.LeaderChanged l) {
      leader = l.leader();
    } else if (e instanceof RoomEvent.PresenceChanged p) {
      if (p.data() == null) {
        presence.remove(p.clientId());
      } else {
        presence.put(p.clientId(), p.data());
      }
    }
    deliver.accept(e);
  }

  /** Takes {@code leader} and {@code present}, handing on what differs as events. */
  private void become(String newLeader, Map<String, Json> present) {
    if (!Objects.equals(newLeader, leader)) {
      apply(new RoomEvent.LeaderChanged(room, newLeader, leader));
    }
    for (String gone : presence.keySet().toArray(new String[0])) {
      if (!present.containsKey(gone)) {
        apply(new RoomEvent.PresenceChanged(room, gone, null));
      }
    }
    present.forEach((clientId, data) -> {
      if (!data.equals(presence.get(clientId))) {
        apply(new RoomEvent.PresenceChanged(room, clientId, data));
      }
    });
  }
}
