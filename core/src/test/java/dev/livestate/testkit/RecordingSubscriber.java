package dev.livestate.testkit;

import dev.livestate.engine.Origin;
import dev.livestate.engine.Broadcast;
import dev.livestate.engine.Origin;
import dev.livestate.engine.RoomClosed;
import dev.livestate.engine.RoomEvent;
import dev.livestate.engine.Subscriber;
import dev.livestate.op.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A subscriber that records every event and close it is given, in order. Thread-safe, so it can
 * also be used with threaded lanes (read it after the lanes are quiet).
 */
public final class RecordingSubscriber implements Subscriber {
  private final String clientId;
  private final boolean echo;
  private final List<RoomEvent> events = new ArrayList<>();
  private final List<String> closes = new ArrayList<>();

  public RecordingSubscriber(String clientId, boolean echo) {
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.echo = echo;
  }

  /** A subscriber that is not sent its own client's ops. */
  public RecordingSubscriber(String clientId) {
    this(clientId, false);
  }

  @Override
  public Origin.Client connection() {
    return Connections.of(clientId);
  }

  @Override
  public boolean echo() {
    return echo;
  }

  @Override
  public synchronized void deliver(Broadcast broadcast) {
    events.add(broadcast.event());
  }

  @Override
  public synchronized void closed(String room, RoomClosed reason) {
    closes.add(reason.wireName());
  }

  /** Every event delivered so far, in order. */
  public synchronized List<RoomEvent> events() {
    return List.copyOf(events);
  }

  /** The delivered events of one type, in order. */
  public synchronized <E extends RoomEvent> List<E> events(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Every relayed op, flattened, in delivery order. */
  public synchronized List<Op> relayedOps() {
    return events(RoomEvent.Relayed.class).stream().flatMap(r -> r.ops().stream()).toList();
  }

  /** The seqs of every relayed op, in delivery order. */
  public List<Long> relayedSeqs() {
    return relayedOps().stream().map(Op::seq).toList();
  }

  /** The reasons the room gave for dropping this subscriber (normally at most one). */
  public synchronized List<String> closes() {
    return List.copyOf(closes);
  }

  public synchronized boolean isClosed() {
    return !closes.isEmpty();
  }

  /** Forgets what was recorded so far. */
  public synchronized void clear() {
    events.clear();
    closes.clear();
  }

  @Override
  public String toString() {
    return "RecordingSubscriber[" + clientId + "]";
  }
}
