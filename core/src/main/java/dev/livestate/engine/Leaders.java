package dev.livestate.engine;

import dev.livestate.room.Leadership;
import dev.livestate.room.Room;
import java.util.function.BiConsumer;

/**
 * A decided room's leadership on its lane: claims, releases, and the grace of a leader whose
 * connection is gone, with the reply that waits for that grace to end. Each change is told
 * ({@code tell}: to the subscribers here and the other nodes) once what the room decided before
 * it committed, with the seq committed at the change. Lane only, but for {@link #leader()}.
 */
final class Leaders {
  private final String name;
  private final CommitQueue commits;
  private final BiConsumer<RoomEvent, Long> tell;
  /** Told how the lease of a leader whose connection is gone ends. */
  private Reply<Boolean> lease;
  private volatile String leader;

  Leaders(String name, CommitQueue commits, BiConsumer<RoomEvent, Long> tell) {
    this.name = name;
    this.commits = commits;
    this.tell = tell;
  }

  /** The leader as last decided; any thread. */
  String leader() {
    return leader;
  }

  /** The room was reloaded and has no leader: the one on a lease lost it. */
  void reset() {
    leader = null;
    end(true);
  }

  void claim(Room room, String clientId, String identity, Reply<Leadership> reply) {
    long at = room.head().seq();
    String before = room.leader();
    Leadership l = room.claimLeader(clientId, identity);
    leader = room.leader();
    Reply<Boolean> overtaken = null;
    if (l instanceof Leadership.Granted && before != null && !clientId.equals(before)) {
      overtaken = lease;
      lease = null;
    }
    Reply<Boolean> leaseOver = overtaken;
    commits.afterCommits(reply, () -> {
      if (l instanceof Leadership.Granted && !clientId.equals(before)) {
        tell.accept(new RoomEvent.LeaderChanged(name, clientId, before), at);
      }
      reply.done(l, null);
      if (leaseOver != null) {
        leaseOver.done(false, null);
      }
    });
  }

  void release(Room room, String clientId, Reply<Boolean> reply) {
    long at = room.head().seq();
    boolean released = room.releaseLeader(clientId);
    leader = room.leader();
    commits.afterCommits(reply, () -> {
      if (released) {
        tell.accept(new RoomEvent.LeaderChanged(name, null, clientId), at);
      }
      reply.done(released, null);
    });
  }

  void left(Room room, String clientId, long now, long graceMillis, Reply<Boolean> lostRoom) {
    long at = room.head().seq();
    boolean lost = room.leaderLeft(clientId, now, graceMillis);
    leader = room.leader();
    if (clientId.equals(room.leader())) {
      // it still leads, on its lease: the reply waits for the lease to end one way or another
      lease = lostRoom;
      return;
    }
    commits.afterCommits(lostRoom, () -> {
      if (lost) {
        tell.accept(new RoomEvent.LeaderChanged(name, null, clientId), at);
      }
      lostRoom.done(lost, null);
    });
  }

  /** Ends a leader's lease that ran out by {@code now}. */
  void expire(Room room, long now) {
    long at = room.head().seq();
    String ranOut = room.expireLease(now);
    if (ranOut != null) {
      lost(room, ranOut, at);
    }
  }

  /** {@code clientId}'s node is gone: if it leads, it loses the room at once, lease or not. */
  void drop(Room room, String clientId) {
    if (clientId.equals(room.leader())) {
      long at = room.head().seq();
      room.releaseLeader(clientId);
      lost(room, clientId, at);
    }
  }

  private void lost(Room room, String clientId, long at) {
    leader = room.leader();
    Reply<Boolean> told = lease;
    lease = null;
    commits.afterCommits(null, () -> {
      tell.accept(new RoomEvent.LeaderChanged(name, null, clientId), at);
      if (told != null) {
        told.done(true, null);
      }
    });
  }

  private void end(boolean lost) {
    if (lease != null) {
      Reply<Boolean> ended = lease;
      lease = null;
      ended.done(lost, null);
    }
  }
}
