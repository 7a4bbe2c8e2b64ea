package dev.livestate.engine;

import dev.livestate.op.Json;
import dev.livestate.presence.Presence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Who is present in a decided room, and which clients came through another node (decision 024).
 * A visitor's connection is on its node, not here: if that node dies nothing tells this one that
 * the client left, so what it holds (its presence, its leadership) goes when its node leaves the
 * live nodes. Each change of presence is {@code announce}d: to the subscribers here and the
 * other nodes, once what the room decided before it committed. Lane only.
 */
final class Attendance {

  /**
   * The reply to a request node {@code node} handed over: the request is served here for that
   * node and never handed on again, even if this node turns out not to own the room.
   */
  record Served<A>(String node, Reply<A> reply) implements Reply<A> {
    @Override
    public void done(A value, Throwable failure) {
      reply.done(value, failure);
    }
  }

  private final String room;
  private final long timeoutMillis;
  private final Consumer<RoomEvent> announce;
  private Presence presence;
  /** The node each visitor came through. */
  private final Map<String, String> visitors = new HashMap<>();

  Attendance(String room, long timeoutMillis, Consumer<RoomEvent> announce) {
    this.room = room;
    this.timeoutMillis = timeoutMillis;
    this.announce = announce;
    this.presence = new Presence(timeoutMillis);
  }

  /** Whether a request answered by {@code reply} may be handed to the room's owner. */
  static boolean forwardable(Reply<?> reply) {
    return !(reply instanceof Served);
  }

  /** Starts empty, as after a restart: the room was reloaded. */
  void reset() {
    presence = new Presence(timeoutMillis);
    visitors.clear();
  }

  /** Notes where {@code clientId}'s request (answered by {@code reply}) came from. */
  void note(String clientId, Reply<?> reply) {
    if (reply instanceof Served<?> s) {
      visitors.put(clientId, s.node());
    } else {
      visitors.remove(clientId);
    }
  }

  void set(String clientId, Json data, long now, Reply<?> reply) {
    note(clientId, reply);
    if (presence.put(clientId, data, now)) {
      announce.accept(new RoomEvent.PresenceChanged(room, clientId, data));
    }
  }

  void touch(String clientId, long now) {
    presence.touch(clientId, now);
  }

  void remove(String clientId) {
    if (presence.remove(clientId)) {
      announce.accept(new RoomEvent.PresenceChanged(room, clientId, null));
    }
  }

  void expire(long now) {
    for (String left : presence.expire(now)) {
      announce.accept(new RoomEvent.PresenceChanged(room, left, null));
    }
  }

  Map<String, Json> all() {
    return presence.all();
  }

  /** Node {@code node} is gone: its visitors' presence goes; returns them. */
  List<String> nodeLeft(String node) {
    List<String> left = new ArrayList<>();
    visitors.entrySet().removeIf(e -> {
      if (e.getValue().equals(node)) {
        left.add(e.getKey());
        return true;
      }
      return false;
    });
    left.forEach(this::remove);
    return left;
  }
}
